import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { IngestionService } from '../../src/modules/ingestion/ingestion.service';
import { JobEndings } from '../../src/modules/ingestion/job-endings';
import { jobEventPayload } from '../../src/modules/ingestion/crawl/crawl.worker';
import { OutboxService } from '../../src/modules/webhooks/outbox.service';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

/**
 * Found by an outside probe: defaults.changed and ingestion.* events were written by an
 * in-process listener AFTER the change committed, so a kill -9 in between lost them (a batch
 * committed, 0 of its 1000 events written). Every event type is now written by the transaction
 * that makes the change: the tests see the rows right after the 2xx with no in-process listener
 * at all, and see neither change nor event when the event's INSERT fails.
 */
describe('webhook events are written in the transaction of the change (transactional outbox)', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  const base = '/api/v1/defaults';
  const sql = (q: string, p: unknown[] = []) => app.get(DataSource).query(q, p);
  const events = async (type: string, field: string, like: string) =>
    (
      await sql(`SELECT count(*)::int AS n FROM webhook_outbox WHERE event_type = $1 AND data->>$2 LIKE $3`, [
        type,
        field,
        like,
      ])
    )[0].n as number;

  beforeAll(async () => {
    app = await bootAuthApp();
    admin = await createUser(app, { admin: true });
    // Nothing in-process may be what records the events.
    app.get(EventEmitter2).removeAllListeners();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => app?.close());

  it('a 1000-item batch has its 1000 defaults.changed rows as soon as it answers; PUT and DELETE one each', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ op: 'upsert', key: `tx.batch.${i}`, value: i }));
    await http(app).post(`${base}/batch`).set(bearer(admin.accessToken)).send({ items }).expect(200);
    expect(await events('defaults.changed', 'key', 'tx.batch.%')).toBe(1000);

    await http(app).put(`${base}/tx.single`).set(bearer(admin.accessToken)).send({ value: 1 }).expect(201);
    await http(app).delete(`${base}/tx.single`).set(bearer(admin.accessToken)).expect(204);
    const rows = await sql(
      `SELECT data FROM webhook_outbox WHERE event_type = 'defaults.changed' AND data->>'key' = 'tx.single' ORDER BY created_at, id`,
    );
    expect(rows.map((r: { data: { action: string } }) => r.data.action).sort()).toEqual(['delete', 'upsert']);
  });

  it('when the event cannot be written the change rolls back: no change, no event', async () => {
    jest.spyOn(app.get(OutboxService), 'addMany').mockRejectedValueOnce(new Error('outbox insert failed'));
    const items = Array.from({ length: 10 }, (_, i) => ({ op: 'upsert', key: `tx.rollback.${i}`, value: i }));
    const r = await http(app).post(`${base}/batch`).set(bearer(admin.accessToken)).send({ items });
    expect(r.status).toBe(500);
    expect((await sql(`SELECT count(*)::int AS n FROM default_values WHERE key LIKE 'tx.rollback.%'`))[0].n).toBe(0);
    expect(await events('defaults.changed', 'key', 'tx.rollback.%')).toBe(0);
  });

  const staleJob = async (ageSql: string) => {
    const [src] = await sql(
      `INSERT INTO sources (user_id, url, domain, max_pages, status) VALUES ($1, 'https://example.test/', 'example.test', 5, 'running') RETURNING id`,
      [admin.id],
    );
    const [job] = await sql(
      `INSERT INTO ingestion_jobs (source_id, user_id, status, max_pages, started_at, created_at) VALUES ($1, $2, 'running', 5, now() - ${ageSql}, now() - ${ageSql}) RETURNING id`,
      [src.id, admin.id],
    );
    await sql(`UPDATE sources SET last_job_id = $1 WHERE id = $2`, [job.id, src.id]);
    return job.id as string;
  };

  it('a job failed by the reaper has its ingestion.failed row in the same transaction', async () => {
    const jobId = await staleJob(`interval '2 days'`);
    await app.get(IngestionService).reap();
    expect((await sql(`SELECT status FROM ingestion_jobs WHERE id = $1`, [jobId]))[0].status).toBe('failed');
    expect(await events('ingestion.failed', 'jobId', jobId)).toBe(1);
  });

  it('a job end whose event cannot be written does not end the job', async () => {
    const jobId = await staleJob(`interval '1 second'`);
    jest.spyOn(app.get(OutboxService), 'add').mockRejectedValueOnce(new Error('outbox insert failed'));
    await expect(app.get(JobEndings).finish(jobId, 'completed', null, jobEventPayload)).rejects.toThrow(
      'outbox insert failed',
    );
    expect((await sql(`SELECT status FROM ingestion_jobs WHERE id = $1`, [jobId]))[0].status).toBe('running');
    expect(await events('ingestion.completed', 'jobId', jobId)).toBe(0);
    expect(await app.get(JobEndings).finish(jobId, 'completed', null, jobEventPayload)).not.toBeNull();
    expect(await events('ingestion.completed', 'jobId', jobId)).toBe(1);
  });
});
