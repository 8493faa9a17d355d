import { createHash } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from '../support/local-server';

/**
 * A small web site on 127.0.0.1 with every case the crawler must handle: link cycles, duplicate
 * content, a redirect, a robots.txt disallow, a PDF, a page over the size cap, a page slower
 * than the header timeout, a 500, a French page, and ETags for conditional recrawls.
 */
export class FixtureSite extends LocalServer {
  readonly hits = new Map<string, number>();
  bChanged = false;
  /** Extra delay before answering /many/* pages (cancel and crash tests). */
  manyDelayMs = 0;

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const html = (body: string, opts: { lang?: string | null; title?: string } = {}) => {
      const lang = opts.lang === null ? '' : ` lang="${opts.lang ?? 'en'}"`;
      const doc = `<!doctype html><html${lang}><head><title>${opts.title ?? path}</title></head><body><nav><a href="/">Home</a></nav><main>${body}</main><footer>footer text</footer></body></html>`;
      const etag = `"${createHash('sha1').update(doc).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag }).end(doc);
    };
    const para = (topic: string) =>
      `<p>${`This page explains ${topic} in detail, with examples about ${topic}. `.repeat(5)}</p>`;
    if (path === '/robots.txt')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n');
    if (path === '/') {
      return html(
        `<h1>Welcome</h1>${para('the home page')}
        <a href="/a">A</a> <a href="/b">B</a> <a href="/a#section">A again</a> <a href="/?utm_source=mail">home tracked</a>
        <a href="/dup1">D1</a> <a href="/dup2">D2</a> <a href="/old">Old</a> <a href="/private/secret">Private</a>
        <a href="/file.pdf">PDF</a> <a href="/huge">Huge</a> <a href="/slow">Slow</a> <a href="/broken">Broken</a>
        <a href="/fr">Français</a> <a href="http://other.invalid/x">elsewhere</a>`,
        { title: 'Fixture home' },
      );
    }
    if (path === '/a')
      return html(
        `<h1>Alpha</h1><h2>Install</h2>${para('installing alpha')}<h2>Usage</h2>${para('using alpha')}<a href="/">back</a> <a href="/a/deep1">deeper</a>`,
        { title: 'Alpha guide' },
      );
    if (path === '/a/deep1') return html(`<h1>Deep one</h1>${para('depth one')}<a href="/a/deep2">deeper</a>`);
    if (path === '/a/deep2') return html(`<h1>Deep two</h1>${para('depth two')}`);
    if (path === '/b')
      return html(`<h1>Beta</h1>${para(this.bChanged ? 'the changed beta text' : 'the original beta text')}`, {
        title: 'Beta',
      });
    if (path === '/dup1' || path === '/dup2')
      return html(`<h1>Same</h1>${para('duplicated content')}`, { title: 'Duplicate' });
    if (path === '/old') return void res.writeHead(301, { location: '/a2' }).end();
    if (path === '/a2') return html(`<h1>Moved</h1>${para('the moved page')}`, { title: 'Moved' });
    if (path === '/private/secret') return html('<p>secret</p>');
    if (path === '/file.pdf')
      return void res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4 not really');
    if (path === '/huge') return html(`<p>${'huge '.repeat(60000)}</p>`);
    if (path === '/slow') {
      await new Promise((r) => setTimeout(r, 3000));
      if (!res.destroyed) html('<p>slow</p>');
      return;
    }
    if (path === '/broken') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
    if (path === '/fr') {
      return html(
        `<h1>Le guide</h1><p>${'Le chat est sur la table et le chien dort dans le jardin avec les enfants pour une heure. '.repeat(4)}Les fromages sont délicieux.</p>`,
        { lang: null, title: 'Guide français' },
      );
    }
    const redirect = /^\/redirect-to\/(.+)$/.exec(path);
    if (redirect) return void res.writeHead(302, { location: decodeURIComponent(redirect[1]) }).end();
    const many = /^\/many\/(\d+)$/.exec(path);
    if (many) {
      const n = Number(many[1]);
      if (this.manyDelayMs) await new Promise((r) => setTimeout(r, this.manyDelayMs));
      if (res.destroyed) return;
      return html(
        `<h1>Page ${n}</h1>${para(`item ${n}`)}<a href="/many/${n + 1}">next</a> <a href="/many/${n + 2}">skip</a> <a href="/many/0">first</a>`,
        { title: `Many ${n}` },
      );
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}
