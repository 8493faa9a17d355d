import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { migrateWithLock } from '../src/database/migrate-with-lock';
import { buildTypeOrmOptions } from '../src/database/typeorm-options';
import { TEST_DATABASE_URL } from './support/test-env';

class CreateProbe1700000000000 implements MigrationInterface {
  name = 'CreateProbe1700000000000';
  async up(q: QueryRunner): Promise<void> {
    // Slow enough that two unsynchronised replicas would both see it as pending.
    await q.query('SELECT pg_sleep(0.3)');
    await q.query('CREATE TABLE lock_probe (id int PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE lock_probe');
  }
}

const scratchUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `${u.pathname}_locks`;
  return u.toString();
})();

async function admin(sql: string): Promise<void> {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = '/postgres';
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function replica(): Promise<DataSource> {
  const options = buildTypeOrmOptions({ url: scratchUrl, poolSize: 2, statementTimeoutMs: 30000 });
  return new DataSource({ ...options, entities: [], migrations: [CreateProbe1700000000000] }).initialize();
}

describe('migrations at boot', () => {
  const dbName = new URL(scratchUrl).pathname.slice(1);
  beforeAll(() =>
    admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE); `).then(() => admin(`CREATE DATABASE "${dbName}"`)),
  );
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));

  it('applies each migration once when replicas start together (advisory lock)', async () => {
    const [a, b, c] = await Promise.all([replica(), replica(), replica()]);
    try {
      const applied = await Promise.all([migrateWithLock(a), migrateWithLock(b), migrateWithLock(c)]);
      expect(applied.flat()).toEqual(['CreateProbe1700000000000']);
      const rows = await a.query('SELECT name FROM typeorm_migrations');
      expect(rows).toEqual([{ name: 'CreateProbe1700000000000' }]);
      // The lock is released afterwards: another session can take it at once.
      const [{ locked }] = await a.query('SELECT pg_try_advisory_lock($1) AS locked', [0x6e657863]);
      expect(locked).toBe(true);
    } finally {
      await Promise.all([a.destroy(), b.destroy(), c.destroy()]);
    }
  });

  it('the committed migrations can be reverted and re-applied', async () => {
    const ds = await new DataSource(
      buildTypeOrmOptions({ url: TEST_DATABASE_URL, poolSize: 1, statementTimeoutMs: 30000 }),
    ).initialize();
    try {
      const count = ds.migrations.length;
      for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await ds.showMigrations()).toBe(count > 0);
      await migrateWithLock(ds);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
    }
  });
});
