import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadDotEnv } from '../../src/config/load-dotenv';
import { freePort, startProcess, stopProcess } from './harness';
import { startNexcore } from './nexcore-server';

export const PYTHON_DOCS = process.env.BENCH_SITE_DIR ?? '/usr/share/doc/python3.11/html';

/**
 * The ask benchmarks' corpus: Debian's python3.11-doc served on 127.0.0.1, crawled through the
 * built server into one source of a fresh user; with a pg client on DATABASE_URL. `close()`
 * stops all of it.
 */
export function crawledPythonDocs() {
  return crawledDocs(PYTHON_DOCS, 'apt-get install -y python3.11-doc', ['/_sources', '/_static']);
}

/** A directory of HTML documentation (with an index.html) served and crawled as above. */
export async function crawledDocs(dir: string, install: string, excludePaths: string[]) {
  loadDotEnv();
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir}/index.html not found: ${install}`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const site = await startProcess([join(__dirname, 'static-server.js'), dir, String(port)], {}, `${origin}/index.html`);
  const nx = await startNexcore({
    INGESTION_MAX_PAGES: '2000',
    INGESTION_FETCH_CONCURRENCY: '8',
    INGESTION_HOST_CONCURRENCY: '8',
  });
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  const close = async () => {
    await db.end().catch(() => undefined);
    await nx.stop();
    await stopProcess(site);
  };
  try {
    await db.connect();
    const { sourceId, job } = await nx.crawl({ url: `${origin}/index.html`, maxPages: 2000, excludePaths });
    return { origin, nx, db, sourceId, job, close };
  } catch (err) {
    await close();
    throw err;
  }
}
