/**
 * npm run bench:ingest — crawl a real documentation site served locally, in one run:
 *   (a) fetch-only: a BFS crawler on undici with the same concurrency, same-origin links found by
 *       a regex, no parsing, no storage;
 *   (b) nexcore: the built server (`node dist/main.js`, API + worker) crawls, extracts, chunks and
 *       indexes the same site into Postgres through the public API.
 * Prints pages/s for both and the ratio b/a (target >= 0.5).
 *
 * Setup (Debian): `apt-get install -y python3.11-doc` (≈530 HTML pages under
 * /usr/share/doc/python3.11/html), or BENCH_SITE_DIR=<any static site>. Needs DATABASE_URL (a
 * migrated database: `npm run migration:run`), REDIS_URL and JWT_SECRET (environment or .env).
 * BENCH_MAX_PAGES (default 1500) and BENCH_CONCURRENCY (default 8) apply to both crawlers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { loadDotEnv } from '../src/config/load-dotenv';
import { freePort, startProcess, stopProcess } from './support/harness';
import { startNexcore } from './support/nexcore-server';

const SITE = process.env.BENCH_SITE_DIR ?? '/usr/share/doc/python3.11/html';
const MAX_PAGES = Number(process.env.BENCH_MAX_PAGES ?? 1500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function fetchOnly(start: string): Promise<{ pages: number; seconds: number }> {
  const origin = new URL(start).origin;
  const agent = new Agent({ connections: CONCURRENCY });
  const seen = new Set([start]);
  const queue = [start];
  let pages = 0;
  let active = 0;
  const t0 = performance.now();
  await new Promise<void>((done) => {
    const pump = (): void => {
      while (active < CONCURRENCY && queue.length && pages + active < MAX_PAGES) {
        const url = queue.shift()!;
        active++;
        void request(url, { dispatcher: agent })
          .then(async (res) => {
            const type = String(res.headers['content-type'] ?? '');
            const body = await res.body.text();
            if (res.statusCode === 200 && /^text\/(html|plain)/.test(type)) {
              for (const m of body.matchAll(/href="([^"#]+)/g)) {
                const u = new URL(m[1], url);
                u.hash = '';
                if (u.origin === origin && !seen.has(u.href)) {
                  seen.add(u.href);
                  queue.push(u.href);
                }
              }
            }
          })
          .catch(() => undefined)
          .finally(() => {
            pages++;
            active--;
            if (active === 0 && (!queue.length || pages >= MAX_PAGES)) done();
            else pump();
          });
      }
    };
    pump();
  });
  await agent.close();
  return { pages, seconds: (performance.now() - t0) / 1000 };
}

async function nexcore(start: string): Promise<{ pages: number; indexed: number; seconds: number; chunks: number }> {
  const nx = await startNexcore({
    INGESTION_MAX_PAGES: String(MAX_PAGES),
    INGESTION_FETCH_CONCURRENCY: String(CONCURRENCY),
    INGESTION_HOST_CONCURRENCY: String(CONCURRENCY),
  });
  try {
    const { sourceId, job } = await nx.crawl({ url: start, maxPages: MAX_PAGES });
    if (job.status !== 'completed') throw new Error(`crawl ended ${job.status}: ${job.lastError}`);
    const seconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
    const detail = await nx.api(`/api/v1/sources/${sourceId}`);
    await nx.api(`/api/v1/sources/${sourceId}`, undefined, 'DELETE').catch(() => undefined);
    return { pages: job.counters.fetched, indexed: job.counters.indexed, seconds, chunks: detail.counts.chunks };
  } finally {
    await nx.stop();
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  if (!existsSync(join(SITE, 'index.html'))) {
    throw new Error(`${SITE}/index.html not found: apt-get install -y python3.11-doc, or set BENCH_SITE_DIR`);
  }
  const port = await freePort();
  const site = await startProcess(
    [join(__dirname, 'support', 'static-server.js'), SITE, String(port)],
    {},
    `http://127.0.0.1:${port}/index.html`,
  );
  try {
    const start = `http://127.0.0.1:${port}/index.html`;
    await fetchOnly(start); // warm the OS file cache so neither side pays for cold reads
    const a = await fetchOnly(start);
    const b = await nexcore(start);
    const rate = (p: number, s: number) => p / s;
    const ra = rate(a.pages, a.seconds);
    const rb = rate(b.pages, b.seconds);
    process.stdout.write(`\ningestion benchmark — ${SITE}, max ${MAX_PAGES} pages, concurrency ${CONCURRENCY}\n`);
    process.stdout.write(
      `(a) fetch-only crawl        ${a.pages} pages in ${a.seconds.toFixed(2)} s = ${ra.toFixed(1)} pages/s\n`,
    );
    process.stdout.write(
      `(b) nexcore crawl+index     ${b.pages} pages (${b.indexed} indexed, ${b.chunks} chunks) in ${b.seconds.toFixed(2)} s = ${rb.toFixed(1)} pages/s\n`,
    );
    process.stdout.write(`ratio b/a = ${(rb / ra).toFixed(2)} (target >= 0.5)\n`);
  } finally {
    await stopProcess(site);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
