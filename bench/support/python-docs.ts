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
export async function crawledPythonDocs() {
  loadDotEnv();
  if (!existsSync(join(PYTHON_DOCS, 'index.html'))) throw new Error(`${PYTHON_DOCS}/index.html not found: apt-get install -y python3.11-doc`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const site = await startProcess([join(__dirname, 'static-server.js'), PYTHON_DOCS, String(port)], {}, `${origin}/index.html`);
  const nx = await startNexcore({ INGESTION_MAX_PAGES: '2000', INGESTION_FETCH_CONCURRENCY: '8', INGESTION_HOST_CONCURRENCY: '8' });
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  const close = async () => {
    await db.end().catch(() => undefined);
    await nx.stop();
    await stopProcess(site);
  };
  try {
    await db.connect();
    const { sourceId, job } = await nx.crawl({ url: `${origin}/index.html`, maxPages: 2000, excludePaths: ['/_sources', '/_static'] });
    return { origin, nx, db, sourceId, job, close };
  } catch (err) {
    await close();
    throw err;
  }
}
