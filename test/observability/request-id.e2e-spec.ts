import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CrawlJobData, INGESTION_QUEUE } from '../../src/modules/ingestion/ingestion.constants';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { waitFor } from '../support/redis-server';
import { FixtureSite } from '../ingestion/fixture-site';
import { CRAWL_TEST_ENV } from '../ingestion/helpers';
import { isolateWebhooks, Receiver, WEBHOOK_TEST_ENV } from '../webhooks/receiver';

/**
 * One user action followed end to end by its request id: the HTTP request, the BullMQ job it
 * queues, and the webhook that reports the outcome (X-Request-Id beside the webhook-id headers).
 */
describe('request id carried into jobs and webhook deliveries', () => {
  let app: NestFastifyApplication;
  let site: FixtureSite;
  let receiver: Receiver;
  let admin: TestUser;
  let ds: DataSource;

  beforeAll(async () => {
    site = await new FixtureSite().start();
    receiver = await Receiver.start();
    app = await bootAuthApp({ ...CRAWL_TEST_ENV, ...WEBHOOK_TEST_ENV });
    ds = app.get(DataSource);
    await isolateWebhooks(ds);
    admin = await createUser(app, { admin: true });
    await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url: receiver.url, events: ['feedback.received', 'ingestion.completed'] })
      .expect(201);
  });
  afterAll(async () => {
    await ds?.query(`DELETE FROM webhook_endpoints`);
    await app?.close();
    await receiver?.close();
    await site?.stop();
  });

  const deliveredWith = (pred: (body: { type: string; data: Record<string, unknown> }) => boolean) =>
    waitFor(
      async () => receiver.received.find((m) => pred(JSON.parse(m.body))),
      (m) => m !== undefined,
      30000,
    );

  it('feedback: the X-Request-Id of the intake request is stored with the event and sent with the webhook', async () => {
    const requestId = `fb-${Date.now()}`;
    const fb = await http(app)
      .post('/api/v1/feedback')
      .set(bearer(admin.accessToken))
      .set('X-Request-Id', requestId)
      .send({ type: 'bug', message: 'follow me' })
      .expect(201);
    const msg = await deliveredWith((b) => b.type === 'feedback.received' && b.data.id === fb.body.id);
    expect(msg!.headers['x-request-id']).toBe(requestId);
    expect(msg!.headers['webhook-id']).toMatch(/^msg_/);
    const [row] = await ds.query(
      `SELECT request_id FROM webhook_deliveries WHERE event_type = 'feedback.received' AND body LIKE $1`,
      [`%${fb.body.id}%`],
    );
    expect(row.request_id).toBe(requestId);
  });

  it('a generated request id (none sent) is the one carried: response header = webhook header', async () => {
    const fb = await http(app)
      .post('/api/v1/feedback')
      .set(bearer(admin.accessToken))
      .send({ type: 'bug', message: 'no id sent' })
      .expect(201);
    const generated = fb.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const msg = await deliveredWith((b) => b.type === 'feedback.received' && b.data.id === fb.body.id);
    expect(msg!.headers['x-request-id']).toBe(generated);
  });

  it('crawl: the request id is in the BullMQ job data, and the ingestion.completed webhook carries it', async () => {
    const user = await createUser(app);
    const requestId = `crawl-${Date.now()}`;
    const res = await http(app)
      .post('/api/v1/sources')
      .set(bearer(user.accessToken))
      .set('X-Request-Id', requestId)
      .send({ url: `${site.origin}/a/deep2`, maxPages: 1 })
      .expect(202);
    const jobId: string = res.body.job.id;
    const job = await app.get<Queue<CrawlJobData>>(getQueueToken(INGESTION_QUEUE)).getJob(jobId);
    expect(job?.data).toMatchObject({ jobId, requestId });
    // Tracing is off in this process: no trace context is stored.
    expect(job?.data.trace).toBeUndefined();
    const msg = await deliveredWith((b) => b.type === 'ingestion.completed' && b.data.jobId === jobId);
    expect(msg!.headers['x-request-id']).toBe(requestId);
  });

  it('a webhook with no originating request (an event written outside any request) has no X-Request-Id', async () => {
    const before = receiver.received.length;
    // The relay's own context never leaks a request id: write an event from a plain async context.
    await ds.query(`INSERT INTO webhook_outbox (event_type, data) VALUES ('feedback.received', '{"id":"no-request"}')`);
    const msg = await deliveredWith((b) => b.data.id === 'no-request');
    expect(receiver.received.length).toBeGreaterThan(before);
    expect(msg!.headers['x-request-id']).toBeUndefined();
  });
});
