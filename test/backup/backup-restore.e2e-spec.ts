import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { backupDatabase, timestampOf } from '../../src/database/backup/backup';
import { BackupError } from '../../src/database/backup/pg-tools';
import { restoreDatabase } from '../../src/database/backup/restore';
import { ROOT } from '../support/process';
import { TEST_DATABASE_URL } from '../support/test-env';

/** A scratch database of its own (<test database>_backup), never the machine's others. */
const scratchUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `${u.pathname}_backup`;
  return u.toString();
})();
const scratchName = new URL(scratchUrl).pathname.slice(1);

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const adminUrl = () => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = '/postgres';
  return u.toString();
};
const rows = () => withClient(scratchUrl, async (c) => (await c.query(`SELECT id, name FROM items ORDER BY id`)).rows);

/** Runs a compiled CLI (`node dist/database/backup/*.js`) as the :prod npm scripts do. */
function cli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const path = join(ROOT, 'dist', 'database', 'backup', script);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first (npm test does)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('db:backup and db:restore (pg_dump -Fc / pg_restore on a scratch database)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nexcore-backup-'));
    await withClient(adminUrl(), async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${scratchName}"`);
    });
    await withClient(scratchUrl, async (c) => {
      await c.query(`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)`);
      await c.query(`INSERT INTO items VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')`);
    });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await withClient(adminUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`));
  });

  it('backs up, survives inserts/deletes/updates, and restore brings back exactly the original rows (CLI)', async () => {
    const backup = await cli('backup-cli.js', [], { DATABASE_URL: scratchUrl, BACKUP_DIR: dir, BACKUP_RETENTION: '3' });
    expect(backup.code).toBe(0);
    const file = /backup written: (\S+)/.exec(backup.out)![1];
    expect(file).toMatch(new RegExp(`${scratchName}-\\d{8}T\\d{9}Z\\.dump$`));
    expect(readdirSync(dir)).toEqual([file.split('/').pop()]);

    await withClient(scratchUrl, async (c) => {
      await c.query(`DELETE FROM items WHERE id = 2`);
      await c.query(`UPDATE items SET name = 'changed' WHERE id = 1`);
      await c.query(`INSERT INTO items VALUES (4, 'delta')`);
      await c.query(`CREATE TABLE extra (x int)`);
    });
    expect(await rows()).toEqual([
      { id: 1, name: 'changed' },
      { id: 3, name: 'gamma' },
      { id: 4, name: 'delta' },
    ]);

    const restore = await cli('restore-cli.js', [file], { DATABASE_URL: scratchUrl, NODE_ENV: 'development' });
    expect(restore.out).toContain('restored');
    expect(restore.code).toBe(0);
    expect(await rows()).toEqual([
      { id: 1, name: 'alpha' },
      { id: 2, name: 'beta' },
      { id: 3, name: 'gamma' },
    ]);
    // Objects created after the backup are not in the archive, so --clean leaves them alone.
    const [{ n }] = await withClient(
      scratchUrl,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'extra'`)).rows,
    );
    expect(n).toBe(1);
  });

  it('keeps the newest BACKUP_RETENTION archives of the database and deletes the oldest', async () => {
    const retDir = join(dir, 'retention');
    const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await backupDatabase({
        databaseUrl: scratchUrl,
        dir: retDir,
        retention: 2,
        now: new Date(t0 + i * 60_000),
      });
      made.push(r.file);
      if (i === 3) expect(r.deleted).toEqual([made[1]]);
    }
    expect(readdirSync(retDir).sort()).toEqual([made[2], made[3]].map((f) => f.split('/').pop()));
    expect(made[0].endsWith(`${scratchName}-${timestampOf(new Date(t0))}.dump`)).toBe(true);
  });

  it('refuses a restore without a file, and in production without --yes', async () => {
    const env = { DATABASE_URL: scratchUrl };
    const none = await cli('restore-cli.js', [], env);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/usage: npm run db:restore -- <backup file>/);
    const [archive] = readdirSync(dir).filter((f) => f.endsWith('.dump'));
    await withClient(scratchUrl, (c) => c.query(`INSERT INTO items VALUES (9, 'kept')`));
    const prod = await cli('restore-cli.js', [join(dir, archive)], { ...env, NODE_ENV: 'production' });
    expect(prod.code).toBe(1);
    expect(prod.out).toMatch(/refusing to overwrite a production database without --yes/);
    expect((await rows()).map((r) => r.id)).toContain(9);
    const yes = await cli('restore-cli.js', [join(dir, archive), '--yes'], { ...env, NODE_ENV: 'production' });
    expect(yes.code).toBe(0);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 3]);
    const missing = await cli('restore-cli.js', [join(dir, 'nope.dump')], env);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/no such backup file/);
  });

  it('says clearly when pg_dump is missing or fails, and leaves no archive behind', async () => {
    const failDir = join(dir, 'failures');
    await expect(
      backupDatabase({ databaseUrl: scratchUrl, dir: failDir, retention: 1, pgDump: '/nonexistent/pg_dump' }),
    ).rejects.toThrow(/pg_dump not found: install the PostgreSQL client tools/);
    const missingDb = new URL(scratchUrl);
    missingDb.pathname = `/${scratchName}_does_not_exist`;
    const err = await backupDatabase({ databaseUrl: missingDb.toString(), dir: failDir, retention: 1 }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toMatch(/pg_dump exited with code 1: .*does not exist/s);
    expect(readdirSync(failDir)).toEqual([]);
    await expect(restoreDatabase({ databaseUrl: scratchUrl, file: join(dir, 'absent.dump') })).rejects.toThrow(
      /no such backup file/,
    );
    // The CLI turns the same failure into exit 1 with the message.
    const run = await cli('backup-cli.js', [], { DATABASE_URL: missingDb.toString(), BACKUP_DIR: failDir });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/db:backup failed: pg_dump exited with code 1/);
  });
});
