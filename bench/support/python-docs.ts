import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadDotEnv } from '../../src/config/load-dotenv';
import { freePort, startProcess, stopProcess } from './harness';
import { Json, Login, startNexcore } from './nexcore-server';

export const PYTHON_DOCS = process.env.BENCH_SITE_DIR ?? '/usr/share/doc/python3.11/html';

/**
 * The ask benchmarks' corpus: Debian's python3.11-doc served on 127.0.0.1, crawled through the
 * built server into one source of a fresh user; with a pg client on DATABASE_URL. `close()`
 * stops all of it.
 */
export function crawledPythonDocs() {
  return crawledDocs(PYTHON_DOCS, 'apt-get install -y python3.11-doc', ['/_sources', '/_static']);
}

/** What a kept crawl needs to be asked again: written by the first run with BENCH_EVAL_STATE (one per directory). */
interface KeptCrawl {
  dir: string;
  origin: string;
  login: Login;
  sourceId: string;
  job: Json;
}

/**
 * With BENCH_EVAL_STATE=<file>, the first run crawls as usual, keeps the source and writes the
 * file; later runs for the same directory ask the kept source again without crawling (for
 * iterating on retrieval and answers; extraction changes need a fresh crawl: delete the file).
 */
function keptCrawls(): Record<string, KeptCrawl> {
  const file = process.env.BENCH_EVAL_STATE;
  return file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, KeptCrawl>) : {};
}

const NEXCORE_ENV = {
  INGESTION_MAX_PAGES: '2000',
  INGESTION_FETCH_CONCURRENCY: '8',
  INGESTION_HOST_CONCURRENCY: '8',
};

/** A directory of HTML documentation (with an index.html) served and crawled as above. */
export async function crawledDocs(dir: string, install: string, excludePaths: string[]) {
  loadDotEnv();
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir}/index.html not found: ${install}`);
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  const kept = keptCrawls()[dir];
  if (kept) {
    const nx = await startNexcore(NEXCORE_ENV, kept.login);
    await db.connect();
    const close = async () => {
      await db.end().catch(() => undefined);
      await nx.stop();
    };
    return { origin: kept.origin, nx, db, sourceId: kept.sourceId, job: kept.job, kept: true, close };
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const site = await startProcess([join(__dirname, 'static-server.js'), dir, String(port)], {}, `${origin}/index.html`);
  const nx = await startNexcore(NEXCORE_ENV);
  const close = async () => {
    await db.end().catch(() => undefined);
    await nx.stop();
    await stopProcess(site);
  };
  try {
    await db.connect();
    const { sourceId, job } = await nx.crawl({ url: `${origin}/index.html`, maxPages: 2000, excludePaths });
    const file = process.env.BENCH_EVAL_STATE;
    if (file)
      writeFileSync(file, JSON.stringify({ ...keptCrawls(), [dir]: { dir, origin, login: nx.user, sourceId, job } }));
    return { origin, nx, db, sourceId, job, kept: Boolean(file), close };
  } catch (err) {
    await close();
    throw err;
  }
}
