/**
 * Written for developers-reference-fr (Debian's Developer's Reference in French, Sphinx): the
 * question as a French user would ask it, the pages that answer it, a keyword a correct answer
 * contains (never a word of the question). About a third are in the user's own words rather
 * than the book's (marked `own`). The book leaves a few sections untranslated (English): those
 * questions check a French question still finds them.
 */
export const QUESTIONS_FR: { question: string; pages: string[]; keyword: string; own?: true }[] = [
  {
    question: "Je veux que mon paquet n'arrive dans l'archive que dans une semaine, c'est possible ?",
    pages: ['pkgs.html'],
    keyword: 'DELAYED',
    own: true,
  },
  { question: "Quels tests faut-il faire avant d'envoyer un paquet ?", pages: ['pkgs.html'], keyword: 'lintian' },
  {
    question: "Comment fermer automatiquement un rapport de bogue lors d'un envoi ?",
    pages: ['pkgs.html'],
    keyword: 'changelog',
  },
  { question: "Qu'est-ce qu'une mise à jour indépendante ?", pages: ['pkgs.html'], keyword: 'NMU' },
  {
    question: 'Comment prévenir les autres développeurs de mon absence pendant les vacances ?',
    pages: ['developer-duties.html'],
    keyword: 'VAC',
  },
  {
    question: 'Je veux arrêter de contribuer à Debian, quelle est la marche à suivre ?',
    pages: ['developer-duties.html'],
    keyword: 'émérite',
    own: true,
  },
  { question: 'Comment adopter un paquet orphelin ?', pages: ['pkgs.html'], keyword: 'WNPP' },
  { question: "Comment changer le nom d'un paquet ?", pages: ['pkgs.html'], keyword: 'Replaces' },
  {
    question: "Comment demander la suppression d'un paquet de l'archive ?",
    pages: ['pkgs.html'],
    keyword: 'ftp.debian.org',
  },
  {
    question: "Je n'ai plus le temps de m'occuper de mon paquet, que dois-je faire ?",
    pages: ['pkgs.html'],
    keyword: 'wnpp',
    own: true,
  },
  { question: 'À quoi sert pbuilder ?', pages: ['tools.html'], keyword: 'chroot' },
  {
    question: "Quel outil permet de supprimer des fichiers du répertoire d'envoi ?",
    pages: ['tools.html'],
    keyword: 'dcut',
  },
  {
    question: 'Je ne suis pas encore développeur, qui peut envoyer mon paquet à ma place ?',
    pages: ['new-maintainer.html'],
    keyword: 'parrain',
    own: true,
  },
  {
    question: "J'ai perdu ma clé GPG, que faire ?",
    pages: ['developer-duties.html'],
    keyword: 'révocation',
    own: true,
  },
  { question: 'Comment un paquet passe-t-il de unstable à testing ?', pages: ['pkgs.html'], keyword: 'britney' },
  { question: "Qu'est-ce qu'une binNMU ?", pages: ['pkgs.html'], keyword: 'recompiler' },
  {
    question: "Comment rédiger la description d'un paquet ?",
    pages: ['best-pkging-practices.html'],
    keyword: 'synopsis',
  },
  {
    question: 'Comment traduire les questions debconf ?',
    pages: ['best-pkging-practices.html', 'l10n.html'],
    keyword: 'po-debconf',
  },
  {
    question: 'Mon script postinst plante quand on le relance, est-ce grave ?',
    pages: ['best-pkging-practices.html'],
    keyword: 'idempotent',
    own: true,
  },
  {
    question: 'Quelles listes de diffusion un développeur doit-il suivre ?',
    pages: ['resources.html'],
    keyword: 'debian-devel-announce',
  },
  {
    question: 'Comment se déroulent les votes dans Debian ?',
    pages: ['developer-duties.html'],
    keyword: 'debian-vote',
  },
  { question: "Qui décide de la section et de la priorité d'un paquet ?", pages: ['pkgs.html'], keyword: 'override' },
  { question: "Qu'est-ce qu'un paquet natif ?", pages: ['pkgs.html'], keyword: 'correctifs' },
  {
    question: 'Où voir la liste des bugs signalés sur mes paquets ?',
    pages: ['pkgs.html'],
    keyword: 'bugs.debian.org',
    own: true,
  },
  {
    question: "Un utilisateur m'a signalé un bug qui vient du logiciel d'origine, à qui le transmettre ?",
    pages: ['developer-duties.html', 'pkgs.html'],
    keyword: 'amont',
    own: true,
  },
  {
    question: 'Mon paquet ne compile pas sur arm, comment éviter que les autobuilders essaient ?',
    pages: ['pkgs.html'],
    keyword: 'Packages-arch-specific',
    own: true,
  },
  { question: 'Comment envoyer un correctif de sécurité ?', pages: ['pkgs.html'], keyword: 'équipe de sécurité' },
  {
    question: "Sur quel serveur déposer les fichiers d'un envoi ?",
    pages: ['pkgs.html'],
    keyword: 'ftp.upload.debian.org',
  },
  {
    question: "Je n'ai pas les droits administrateur, comment construire mon paquet ?",
    pages: ['tools.html'],
    keyword: 'fakeroot',
    own: true,
  },
  {
    question: 'Quel canal IRC utiliser pour parler de Debian en français ?',
    pages: ['resources.html'],
    keyword: 'debian-fr',
  },
];
