import { DataSource } from 'typeorm';
import { buildTypeOrmOptions } from '../src/database/typeorm-options';
import { TEST_DATABASE_URL } from './support/test-env';

/**
 * The global setup applied every migration to a fresh database; if the entities describe
 * anything those migrations did not create, TypeORM's schema builder has SQL to run, and
 * `npm run migration:generate` would produce a non-empty migration.
 */
describe('schema drift', () => {
  it('entities and migrations describe the same schema', async () => {
    const ds = await new DataSource(
      buildTypeOrmOptions({ url: TEST_DATABASE_URL, poolSize: 1, statementTimeoutMs: 30000 }),
    ).initialize();
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
