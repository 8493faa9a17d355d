import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, waitFor } from './redis-server';

const run = promisify(execFile);
/** PG_BIN_DIR, else the newest Debian/Ubuntu server install (/usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (!majors.length)
    throw new Error('no PostgreSQL server binaries (initdb) found: apt-get install postgresql, or set PG_BIN_DIR');
  return join(root, majors[0], 'bin');
}

/**
 * A throwaway PostgreSQL cluster (initdb in a temp dir, trust auth, 127.0.0.1 on a free port)
 * for tests that stop or restart the database, so the machine's shared Postgres is never touched.
 * Postgres refuses to run as root, so when the tests run as root the cluster belongs to the
 * `postgres` user and every pg_ctl call goes through runuser.
 */
export class TestPostgresServer {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<TestPostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), 'nx-pg-'));
    const server = new TestPostgresServer(await freePort(), dir);
    if (process.getuid?.() === 0) chownSync(dir, ...postgresIds());
    await server.pg('initdb', ['-D', server.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await server.start();
    return server;
  }

  get data(): string {
    return join(this.dir, 'data');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    await this.pg('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'log'), '-o', opts, '-w', '-t', '30', 'start']);
    if (
      !(await waitFor(
        () => this.ping(),
        (up) => up,
        15000,
      ))
    )
      throw new Error(`postgres did not start on ${this.port}`);
  }

  /** Fast shutdown: open connections are terminated (clients see 57P01 / a reset). */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '30', 'stop']).catch(() => undefined);
  }

  async createDatabase(name: string): Promise<string> {
    const c = new Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE "${name}"`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const c = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  private async pg(tool: string, args: string[]): Promise<void> {
    const bin = join(binDir(), tool);
    const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    await run(cmd, argv, { cwd: this.dir, timeout: 60000 });
  }
}

function postgresIds(): [number, number] {
  // `id` is enough here and avoids a dependency for a passwd lookup.
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return [uid, gid];
}
