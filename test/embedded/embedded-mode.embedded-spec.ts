import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http } from '../support/auth';

describe('embedded mode in one process (PGlite over a loopback socket, Redis state in memory)', () => {
  let app: NestFastifyApplication;
  let ds: DataSource;

  beforeAll(async () => {
    app = await bootAuthApp();
    ds = app.get(DataSource);
  });
  afterAll(() => app?.close());

  it('is ready and /health/detailed reports the mode and the embedded components', async () => {
    await http(app).get('/api/v1/health/ready').expect(200);
    const admin = await createUser(app, { admin: true });
    const res = await http(app).get('/api/v1/health/detailed').set(bearer(admin.accessToken)).expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.mode).toEqual({ name: 'embedded', database: 'pglite', redis: 'in-memory', singleInstance: true });
    expect(res.body.dependencies.database).toMatchObject({ status: 'up', embedded: expect.stringMatching(/PGlite/) });
    expect(res.body.dependencies.redis).toMatchObject({ status: 'up', embedded: expect.stringMatching(/in-memory/) });
    const [{ version }] = await ds.query('SELECT version()');
    expect(version).toMatch(/PostgreSQL \d+.*PGlite/);
  });

  it('uses one connection, and parallel transactions all commit in full', async () => {
    expect((ds.driver as unknown as { master: { options: { max: number } } }).master.options.max).toBe(1);
    await ds.query('CREATE TEMP TABLE IF NOT EXISTS emb_tx (n int, part int)');
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        ds.transaction(async (m) => {
          await m.query('INSERT INTO emb_tx VALUES ($1, 1)', [n]);
          await m.query('SELECT pg_sleep(0.005)');
          await m.query('INSERT INTO emb_tx VALUES ($1, 2)', [n]);
        }),
      ),
    );
    const [{ rows, whole }] = await ds.query(
      'SELECT count(*)::int AS rows, count(DISTINCT n)::int AS whole FROM emb_tx',
    );
    expect([rows, whole]).toEqual([40, 20]);
  });

  it('keeps two apps of one process apart on the shared server: no crossed statements or transactions', async () => {
    const other = await bootAuthApp();
    try {
      const ds2 = other.get(DataSource);
      // Parameterised queries use the unnamed prepared statement; interleaved they would cross.
      const work = (d: DataSource, base: number) =>
        Array.from({ length: 25 }, async (_, i) => {
          const [{ v }] = await d.query('SELECT $1::int * 2 AS v', [base + i]);
          return v === (base + i) * 2;
        });
      await ds.query('CREATE TEMP TABLE IF NOT EXISTS emb_two (n int)');
      const rollback = ds2.transaction(async (m) => {
        await m.query('INSERT INTO emb_two VALUES (99)');
        await m.query('SELECT pg_sleep(0.02)');
        throw new Error('rolled back on purpose');
      });
      const committed = ds.transaction((m) => m.query('INSERT INTO emb_two VALUES (1)'));
      const results = await Promise.all([...work(ds, 1000), ...work(ds2, 5000)]);
      await expect(rollback).rejects.toThrow('rolled back on purpose');
      await committed;
      expect(results.every(Boolean)).toBe(true);
      expect(await ds.query('SELECT n FROM emb_two')).toEqual([{ n: 1 }]);
    } finally {
      await other.close();
    }
    // The first app still works after the second released the shared server.
    await http(app).get('/api/v1/health/ready').expect(200);
  });

  it('has the weighted full-text search ask relies on, and pgvector', async () => {
    const [fts] = await ds.query(
      `SELECT ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', setweight(to_tsvector('english', 'Horses were running'), 'A'), websearch_to_tsquery('english', 'horse run'), 1) > 0 AS hit,
              to_tsvector('french', 'les chevaux') @@ plainto_tsquery('french', 'cheval') AS french`,
    );
    expect(fts).toEqual({ hit: true, french: true });
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('CREATE EXTENSION IF NOT EXISTS vector');
      const [{ d }] = await runner.query(`SELECT '[1,0]'::vector <=> '[0,1]'::vector AS d`);
      expect(Number(d)).toBeCloseTo(1);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
