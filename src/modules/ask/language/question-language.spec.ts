import { contentWords, questionLanguage } from './question-language';

describe('question language', () => {
  it('tells French questions from English ones, short ones included', () => {
    expect(questionLanguage('Comment installer un paquet ?')).toBe('fr');
    expect(questionLanguage("Qu'est-ce qu'un paquet source ?")).toBe('fr');
    expect(questionLanguage('Où se trouve le fichier de configuration ?')).toBe('fr');
    expect(questionLanguage('How do I reverse a list in place?')).toBe('en');
    expect(questionLanguage('What does the with statement do?')).toBe('en');
  });

  it('strips question and function words of the question language, keeping identifiers whole', () => {
    expect(
      contentWords("Comment est-ce que je peux utiliser dpkg-buildpackage pour construire l'archive ?", 'fr'),
    ).toBe('utiliser dpkg-buildpackage construire archive');
    expect(contentWords("Qu'est-ce qu'un paquet virtuel ?", 'fr')).toBe('paquet virtuel');
    expect(contentWords('How do I join path components with os.path?', 'en')).toBe('join path components os.path');
    expect(contentWords('Quel est le rôle du champ Maintainer ?', 'fr')).toBe('rôle champ maintainer');
    // Inverted subject pronouns leave their verb: "passe-t-il" is "passe", not a term of its own.
    expect(contentWords('Comment un paquet passe-t-il de unstable à testing ?', 'fr')).toBe(
      'paquet passe unstable testing',
    );
    expect(contentWords('Que doit-on vérifier avec lintian-brush ?', 'fr')).toBe('vérifier lintian-brush');
  });

  it('leaves a question of an unknown language as it is', () => {
    expect(contentWords('Wie installiere ich ein Paket?', 'de')).toBe('Wie installiere ich ein Paket?');
  });
});
