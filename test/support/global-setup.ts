import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildTypeOrmOptions } from '../../src/database/typeorm-options';
import { migrateWithLock } from '../../src/database/migrate-with-lock';

/** A fresh test database per run, with every migration applied once. */
export default async function globalSetup(): Promise<void> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nexcore_test');
  const name = url.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const ds = await new DataSource(
    buildTypeOrmOptions({ url: url.toString(), poolSize: 2, statementTimeoutMs: 60000 }),
  ).initialize();
  try {
    await migrateWithLock(ds);
  } finally {
    await ds.destroy();
  }
}
