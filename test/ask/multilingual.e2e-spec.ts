import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { CRAWL_TEST_ENV, submit, waitForJob } from '../ingestion/helpers';

const doc = (lang: string | null, title: string, body: string) =>
  `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><title>${title}</title></head><body><nav><a href="/">Accueil</a> <a href="/en/apt">English</a> <a href="/fr/apt">Français</a> <a href="/en/comments">Comments</a> <a href="/fr/livre">Livre</a></nav><main>${body}</main><footer>Pied de page</footer></body></html>`;

/** The same topic in French and English, an English page full of the word "comment", and a French book page with an untranslated English section (no lang attribute, as DocBook pages have). */
const PAGES: Record<string, string> = {
  '/': doc(
    'fr',
    'Accueil',
    '<h1>Documentation</h1><p>Cette documentation existe en français et en anglais, choisissez une langue dans le menu.</p>',
  ),
  '/fr/apt': doc(
    'fr',
    'Installer des paquets',
    `<h1>Installer des paquets</h1><p>Pour installer un paquet, lancez la commande apt install suivie du nom du paquet. La commande télécharge le paquet et ses dépendances, puis les installe.</p>
     <p>Avant la première installation, mettez à jour la liste des paquets disponibles avec apt update.</p><pre>sudo apt update
sudo apt install nginx</pre>`,
  ),
  '/en/apt': doc(
    'en',
    'Installing packages',
    `<h1>Installing packages</h1><p>To install a package, run apt install followed by the package name. The command downloads the package and its dependencies, then installs them.</p>
     <p>Before the first installation, refresh the list of available packages with apt update.</p>`,
  ),
  '/en/comments': doc(
    'en',
    'Comments in configuration files',
    `<h1>Comments</h1><p>A comment starts with a hash sign. Every comment line is ignored, so a comment can explain the configuration. Est and que are not words here, but comment is, and comment lines comment the file.</p>`,
  ),
  '/fr/livre': doc(
    null,
    'Le livre',
    `<h1>Gestion des sauvegardes</h1><p>Les sauvegardes sont indispensables : une stratégie de sauvegarde doit être définie dès l'installation du serveur, et les copies doivent être vérifiées régulièrement pour pouvoir restaurer les données.</p>
     <h2>Rotation</h2><p>Backups are rotated every week by the rotation script, and the oldest archive is removed once the new one has been verified by the administrator on duty.</p>`,
  ),
};

describe('ask across languages (French and English pages in one source)', () => {
  let app: NestFastifyApplication;
  let server: Server;
  let origin = '';
  let user: TestUser;
  let sourceId = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const page = PAGES[(req.url ?? '/').split('?')[0]];
      if (!page) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A lower bar than the default 50 %: function words shared with another language's page
    // ("comment", "est", "que": 3 of the 7 English lexemes of the question below) would clear it.
    app = await bootAuthApp({ ...CRAWL_TEST_ENV, ASK_MIN_COVERAGE_PERCENT: '30' });
    user = await createUser(app);
    const src = await submit(app, user, { url: `${origin}/`, maxPages: 20 });
    sourceId = src.id;
    expect((await waitForJob(app, user, src.job.id)).status).toBe('completed');
  });
  afterAll(async () => {
    await app.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const ask = (question: string) =>
    http(app)
      .post('/api/v1/ask')
      .set(bearer(user.accessToken))
      .send({ question, sourceIds: [sourceId] });

  it('a French question cites the French page first and answers in French', async () => {
    const res = await ask('Comment installer un paquet avec apt ?');
    expect(res.status).toBe(200);
    expect(res.body.citations[0].url).toBe(`${origin}/fr/apt`);
    expect(res.body.answer).toMatch(/Pour installer un paquet, lancez la commande apt install.*\[1\]/);
    expect(res.body.answer).not.toMatch(/To install a package/);
  });

  it('the same question in English cites the English page first', async () => {
    const res = await ask('How do I install a package with apt?');
    expect(res.body.citations[0].url).toBe(`${origin}/en/apt`);
    expect(res.body.answer).toMatch(/To install a package, run apt install.*\[1\]/);
  });

  it('a French question never matches English pages on its own question words ("comment", "est", "que")', async () => {
    const res = await ask('Comment est-ce que ça marche ?');
    expect(res.body.citations.map((c: { url: string }) => c.url)).not.toContain(`${origin}/en/comments`);
  });

  it('the no-answer message is in the language of the question', async () => {
    expect((await ask('Comment réinitialiser le pare-feu du routeur ?')).body).toMatchObject({
      answer: 'Aucun passage de vos sources ne répond à cette question.',
      citations: [],
    });
    expect((await ask('How do I reset the router firewall?')).body).toMatchObject({
      answer: 'No passage in your sources answers this.',
      citations: [],
    });
  });

  it('records the language per page and per chunk: an untranslated English section of a French page is indexed as English', async () => {
    const ds = app.get(DataSource);
    const rows: { url: string; lang: string; ts_config: string; text: string }[] = await ds.query(
      `SELECT url, lang, ts_config, text FROM chunks WHERE source_id = $1 ORDER BY url, position`,
      [sourceId],
    );
    const book = rows.filter((r) => r.url === `${origin}/fr/livre`);
    expect(book.find((r) => r.text.startsWith('Les sauvegardes'))).toMatchObject({ lang: 'fr', ts_config: 'french' });
    expect(book.find((r) => r.text.startsWith('Backups are rotated'))).toMatchObject({
      lang: 'en',
      ts_config: 'english',
    });
    const [page] = await ds.query(
      `SELECT lang, ts_config, chunk_configs FROM pages WHERE source_id = $1 AND url = $2`,
      [sourceId, `${origin}/fr/livre`],
    );
    expect(page).toMatchObject({ lang: 'fr', ts_config: 'french' });
    expect([...page.chunk_configs].sort()).toEqual(['english', 'french']);
    // Chrome is not content; the code block is stored fenced.
    expect(rows.some((r) => /Accueil|Pied de page/.test(r.text))).toBe(false);
    expect(rows.find((r) => r.url === `${origin}/fr/apt`)!.text).toContain(
      '```\nsudo apt update\nsudo apt install nginx\n```',
    );
  });

  it('a French question finds the English section of the French book through its shared words, in English stems', async () => {
    const res = await ask('Quand le script de rotation supprime-t-il les archives ?');
    expect(res.body.citations.map((c: { url: string }) => c.url)).toContain(`${origin}/fr/livre`);
  });

  it('snippets are plain text with highlight ranges, not ** markup', async () => {
    const res = await ask('Comment installer un paquet avec apt ?');
    const c = res.body.citations[0];
    expect(c.snippet).not.toMatch(/\*\*|¶|```/);
    expect(c.highlights.length).toBeGreaterThan(0);
    for (const h of c.highlights) expect(c.snippet.slice(h.start, h.end)).toMatch(/instal|paquet|apt/i);
  });
});
