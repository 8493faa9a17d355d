import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  DEFAULTS_TRAIN_QUEUE,
  ModelTrainingScheduler,
  ModelTrainingWorker,
} from '../../src/modules/defaults/model-training';
import { syntheticFeedback } from '../../src/modules/defaults/scoring/synthetic';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

describe('defaults predict, feedback and the learned model', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let user: TestUser;
  const base = '/api/v1/defaults';
  const predict = (body: object, token = user.accessToken) =>
    http(app).post(`${base}/predict`).set(bearer(token)).send(body);
  const feedback = (body: object) => http(app).post(`${base}/feedback`).set(bearer(user.accessToken)).send(body);
  const sql = (q: string, p: unknown[] = []) => app.get(DataSource).query(q, p);

  beforeAll(async () => {
    app = await bootAuthApp({
      DEFAULTS_PREDICT_THRESHOLD: '0.5',
      DEFAULTS_TRAIN_MIN_EVENTS: '10',
      DEFAULTS_PREDICT_MAX_ALTERNATIVES: '2',
    });
    admin = await createUser(app, { admin: true });
    user = await createUser(app);
    await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({
        items: [
          { op: 'upsert', key: 'pred.language', value: 'en' },
          { op: 'upsert', key: 'pred.language', context: 'team=ops', value: 'de' },
          { op: 'upsert', key: 'pred.language', context: 'team=ops;env=prod', value: 'fr' },
          { op: 'upsert', key: 'pred.language', context: 'team=sales', value: 'es' },
        ],
      })
      .expect(200);
  });
  afterAll(() => app?.close());

  it('ranks stored values with an explanation, alternatives and the model version', async () => {
    // Track record: 'de' 95/100 accepted, 'es' 1/1; recent use for 'de'.
    await sql(
      `UPDATE default_values SET success_count = 95, failure_count = 5, usage_count = 100, last_used_at = now() WHERE key = 'pred.language' AND context = 'team=ops'`,
    );
    await sql(
      `UPDATE default_values SET success_count = 1, failure_count = 0, usage_count = 1, last_used_at = now() WHERE key = 'pred.language' AND context = 'team=sales'`,
    );
    const r = await predict({ key: 'pred.language', context: { team: 'ops', env: 'dev' } }).expect(200);
    expect(r.body).toMatchObject({ value: 'de', modelVersion: 0, threshold: 0.5 });
    expect(r.body.best.matchedContext).toBe('team=ops');
    expect(Object.keys(r.body.best.contributions).sort()).toEqual([
      'bias',
      'recency',
      'similarity',
      'success',
      'usage',
    ]);
    expect(r.body.best.features.success).toBeCloseTo(0.888, 2);
    expect(r.body.alternatives).toHaveLength(2);
    for (const c of [r.body.best, ...r.body.alternatives]) {
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
    expect(r.body.alternatives[0].score).toBeLessThanOrEqual(r.body.best.score);
  });

  it('ranks given candidates, and answers value null below the threshold instead of guessing', async () => {
    const r = await predict({ key: 'pred.language', context: 'team=hr', candidates: ['xx', 'yy'] }).expect(200);
    expect(r.body).toMatchObject({ value: null, reason: 'below threshold' });
    expect(['xx', 'yy']).toContain(r.body.best.value);
    expect(r.body.best.matchedContext).toBeNull();
    await predict({ key: 'nothing.stored' }).expect(404);
    await predict({ key: 'bad key' }).expect(400);
    await predict({ key: 'pred.language', context: 'oops' }).expect(400);
  });

  it("records feedback with the features of that moment and counts the user's latest outcome as their vote", async () => {
    const before = (
      await sql(
        `SELECT success_count, failure_count FROM default_values WHERE key = 'pred.language' AND context = 'env=prod;team=ops'`,
      )
    )[0];
    const ok = await feedback({
      key: 'pred.language',
      context: 'env=prod;team=ops',
      value: 'fr',
      outcome: 'accepted',
    }).expect(201);
    expect(ok.body).toMatchObject({ outcome: 'accepted', matchedContext: 'env=prod;team=ops' });
    expect(ok.body.features.similarity).toBe(1);
    await feedback({ key: 'pred.language', context: 'env=prod;team=ops', value: 'fr', outcome: 'rejected' }).expect(
      201,
    );
    const after = (
      await sql(
        `SELECT success_count, failure_count FROM default_values WHERE key = 'pred.language' AND context = 'env=prod;team=ops'`,
      )
    )[0];
    // One user is one vote: the rejection moved their earlier acceptance (see defaults-feedback-trust).
    expect(Number(after.success_count)).toBe(Number(before.success_count));
    expect(Number(after.failure_count)).toBe(Number(before.failure_count) + 1);
    const [ev] = await sql(`SELECT * FROM default_feedback WHERE id = $1`, [ok.body.id]);
    expect(ev).toMatchObject({ key: 'pred.language', accepted: true, actor_id: user.id, f_similarity: 1 });
    await feedback({ key: 'pred.language', value: 'fr', outcome: 'maybe' }).expect(400);
  });

  it('trains on feedback (admins only), stores a better model with hold-out metrics, and predict uses it', async () => {
    await http(app).post(`${base}/model/train`).set(bearer(user.accessToken)).expect(403);
    expect((await http(app).get(`${base}/model`).set(bearer(user.accessToken)).expect(200)).body).toMatchObject({
      version: 0,
      trainedAt: null,
    });
    const events = syntheticFeedback(600, 11);
    await sql(
      `INSERT INTO default_feedback (key, context, value, accepted, f_usage, f_success, f_similarity, f_recency)
       SELECT 'synthetic', '', '"x"', a, u, s, si, r FROM unnest($1::bool[], $2::float8[], $3::float8[], $4::float8[], $5::float8[]) AS t(a, u, s, si, r)`,
      [
        events.map((e) => e.y === 1),
        events.map((e) => e.x.usage),
        events.map((e) => e.x.success),
        events.map((e) => e.x.similarity),
        events.map((e) => e.x.recency),
      ],
    );
    const trained = await http(app).post(`${base}/model/train`).set(bearer(admin.accessToken)).expect(200);
    expect(trained.body.trained).toBe(true);
    const m = trained.body.model;
    expect(m.version).toBe(1);
    expect(m.metrics.logLoss).toBeLessThan(m.metrics.previousLogLoss);
    expect(m.metrics.auc).toBeGreaterThan(0.6);
    expect(m.metrics.testSize).toBeGreaterThan(50);
    expect(m.weights.similarity).toBeGreaterThan(m.weights.success);
    expect((await http(app).get(`${base}/model`).set(bearer(user.accessToken)).expect(200)).body.version).toBe(1);
    expect((await predict({ key: 'pred.language', context: 'team=ops' }).expect(200)).body.modelVersion).toBe(1);
  });

  it('schedules the daily training as a repeatable job and a worker runs queued training jobs', async () => {
    const queue = app.get<Queue>(getQueueToken(DEFAULTS_TRAIN_QUEUE));
    expect(await app.get(ModelTrainingScheduler).scheduled).toBe('done');
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual([
      expect.objectContaining({ key: 'defaults-train-daily', pattern: '0 3 * * *', tz: 'UTC' }),
    ]);
    const job = await queue.add('train', {});
    await app.get(ModelTrainingWorker).poll();
    const done = await queue.getJob(job.id!);
    expect(await done!.getState()).toBe('completed');
    expect(done!.returnvalue).toHaveProperty('model');
  });

  it('exports feedback with the user data and anonymises it on erasure', async () => {
    const exp = await http(app).get('/api/v1/auth/me/export').set(bearer(user.accessToken)).expect(200);
    expect(JSON.stringify(exp.body)).toContain('defaultsFeedback');
    const count = async () =>
      Number((await sql(`SELECT count(*) AS n FROM default_feedback WHERE actor_id = $1`, [user.id]))[0].n);
    expect(await count()).toBeGreaterThan(0);
    await http(app)
      .delete('/api/v1/auth/me')
      .set(bearer(user.accessToken))
      .send({ password: 'correct-horse-battery-9' });
    expect(await count()).toBe(0);
  });
});
