import { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { LocalServer } from '../support/local-server';

/**
 * A web site on 127.0.0.1 that behaves badly, the way the outside probe's sites did: a page
 * dripping one byte at a time, NUL bytes and binary served as text/html, compressed bodies,
 * a link with a broken percent-escape, a link maze, links and sitemaps off the start origin.
 */
export class HostileSite extends LocalServer {
  readonly hits = new Map<string, number>();
  /** Delay before answering a maze page (cancel tests). */
  mazeDelayMs = 0;
  /** Origins named in robots.txt Sitemap lines and linked from /scope (must never be fetched). */
  elsewhere: string[] = [];
  private readonly drips = new Set<NodeJS.Timeout>();

  protected override beforeStop(): void {
    for (const t of this.drips) clearInterval(t);
  }

  count(prefix: string): number {
    return [...this.hits.entries()].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const doc = (title: string | null, body: string) =>
      `<!doctype html><html lang="en"><head>${title === null ? '' : `<title>${title}</title>`}</head><body><main>${body}</main></body></html>`;
    const page = (title: string | null, body: string): void =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(doc(title, body));
    const para = (topic: string) =>
      `<p>${`This page is about ${topic}, and it says so at length about ${topic}. `.repeat(4)}</p>`;
    const links = (hrefs: string[]) => hrefs.map((h) => `<a href="${h}">${h}</a>`).join(' ');

    if (path === '/robots.txt') {
      const maps = [`${this.origin}/sitemap.xml`, ...this.elsewhere.map((o) => `${o}/sitemap.xml`)];
      return void res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(`User-agent: *\nDisallow: /private\n${maps.map((m) => `Sitemap: ${m}`).join('\n')}\n`);
    }
    if (path === '/sitemap.xml') {
      return void res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(`<urlset><url><loc>${this.origin}/from-sitemap</loc></url></urlset>`);
    }
    if (path === '/from-sitemap') return page('From the sitemap', para('the sitemap'));
    if (path === '/scope') return page('Scope', para('scope') + links(this.elsewhere.map((o) => `${o}/linked`)));

    // One byte every 300 ms, never finishing: each chunk resets an idle timeout.
    if (path.startsWith('/drip')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write('<!doctype html><html><body><p>');
      const t = setInterval(() => res.write('.'), 300);
      this.drips.add(t);
      res.on('close', () => (clearInterval(t), this.drips.delete(t)));
      return;
    }
    if (path.startsWith('/slow-index/')) {
      const n = Number(path.split('/')[2]);
      return page('Slow index', para('dripping pages') + links(Array.from({ length: n }, (_, i) => `/drip/${i}`)));
    }
    if (path === '/one') return page('One page', para('a single page'));

    if (path === '/bad') {
      return page(
        'Bad pages',
        para('bad pages') + links(['/nul', '/gzip', '/deflate', '/br', '/gzip-raw', '/random', '/bad%E0%A4%A', '/ok']),
      );
    }
    if (path === '/ok') return page('Fine', para('a fine page'));
    if (path === '/nul')
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(doc('Nul bytes', `<p>nul\u0000byte page, about zebras\u0000 ${para('zebras')}</p>`));
    const compressed: Record<string, [string, (b: Buffer) => Buffer]> = {
      '/gzip': ['gzip', gzipSync],
      '/deflate': ['deflate', deflateSync],
      '/br': ['br', brotliCompressSync],
    };
    if (compressed[path]) {
      const [enc, fn] = compressed[path];
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': enc })
        .end(fn(Buffer.from(doc(`Compressed ${enc}`, para(`${enc} compression`)))));
    }
    if (path === '/gzip-raw')
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(gzipSync(Buffer.from(doc('hidden', para('gzip without a header')))));
    if (path === '/random')
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256)));
    if (path === '/bad%E0%A4%A') return page(null, para('a broken escape'));

    // Every maze page links to 500 new maze pages.
    const maze = /^\/maze\/([\d-]+)$/.exec(path);
    if (maze) {
      if (this.mazeDelayMs) await new Promise((r) => setTimeout(r, this.mazeDelayMs));
      if (res.destroyed) return;
      return page(
        `Maze ${maze[1]}`,
        para(`maze room ${maze[1]}`) + links(Array.from({ length: 500 }, (_, i) => `/maze/${maze[1]}-${i}`)),
      );
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

/** Counts every request; stands for hosts and ports the crawl must not touch. */
export class CountingServer extends LocalServer {
  hits = 0;

  protected handle(_req: IncomingMessage, res: ServerResponse): void {
    this.hits++;
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<html><head><title>elsewhere</title></head><body><p>out of scope</p></body></html>');
  }
}
