import { Logger } from '@nestjs/common';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { SessionExclusiveQueue } from './session-queue';

export interface EmbeddedPostgresHandle {
  /** postgres:// URL of the loopback socket; the app's normal pg driver connects to it. */
  readonly url: string;
  /** Stops the server once every holder has released it (apps in one process share it). */
  release(): Promise<void>;
}

interface Running {
  dataDir: string;
  url: string;
  holders: number;
  stop: () => Promise<void>;
}

const LOCK_FILE = 'nexcore.pid';
let running: Promise<Running> | undefined;

/**
 * PGlite keeps no lock of its own, and two processes writing one data directory corrupt it:
 * a pid file refuses a second process while the first is alive.
 */
function lockDataDir(dir: string): void {
  const file = join(dir, LOCK_FILE);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    let alive = false;
    try {
      alive = pid > 0 && pid !== process.pid && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive)
      throw new Error(
        `PGLITE_DATA_DIR ${dir} is in use by process ${pid}: the embedded PostgreSQL serves one nexcore process (set DATABASE_URL to share a database)`,
      );
  }
  writeFileSync(file, String(process.pid));
}

async function start(dataDir: string, logger: Logger): Promise<Running> {
  const started = performance.now();
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  lockDataDir(dataDir);
  // Loaded only in embedded mode: PGlite is a 27 MB WebAssembly build of PostgreSQL.
  const [{ PGlite }, { uuid_ossp }, { vector }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/uuid_ossp'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  const db = await PGlite.create({ dataDir, extensions: { uuid_ossp, vector } });
  const queue = new SessionExclusiveQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as { port: number };
  const ms = Math.round(performance.now() - started);
  logger.log(
    `embedded PostgreSQL (PGlite ${fresh ? 'initialised' : 'opened'} in ${ms} ms) on 127.0.0.1:${port}, data in ${dataDir}`,
  );
  return {
    dataDir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    holders: 0,
    stop: async () => {
      await Promise.all([...handlers].map((h) => h.detach(true)));
      await new Promise<void>((ok) => server.close(() => ok()));
      await db.close();
      rmSync(join(dataDir, LOCK_FILE), { force: true });
      logger.log('embedded PostgreSQL stopped');
    },
  };
}

/**
 * Starts (or joins) the in-process PostgreSQL used when DATABASE_URL is empty: PGlite with
 * its data in `dataDir`, exposed as a Postgres wire-protocol server on a random loopback port
 * so TypeORM's ordinary pg driver talks to it unchanged. One per process; several apps in one
 * process (tests) share it and the last release stops it.
 */
export async function acquireEmbeddedPostgres(
  dataDir: string,
  logger = new Logger('EmbeddedPostgres'),
): Promise<EmbeddedPostgresHandle> {
  const dir = resolve(dataDir);
  if (!running) {
    running = start(dir, logger);
    running.catch(() => (running = undefined));
  }
  const current = running;
  const pg = await current;
  if (pg.dataDir !== dir)
    throw new Error(`the embedded PostgreSQL of this process already uses ${pg.dataDir}, not ${dir}`);
  pg.holders++;
  let released = false;
  return {
    url: pg.url,
    release: async () => {
      if (released) return;
      released = true;
      if (--pg.holders > 0) return;
      if (running === current) running = undefined;
      await pg.stop();
    },
  };
}
