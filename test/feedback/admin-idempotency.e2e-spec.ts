import { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { FeedbackHousekeeping } from '../../src/modules/feedback/feedback-housekeeping';
import { stripControl } from '../../src/modules/feedback/sanitize';
import { bearer, bootAuthApp, createUser, http, PASSWORD, TestUser } from '../support/auth';

describe('Feedback idempotency, admin triage/export, privacy, and random bodies', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let user: TestUser;
  let key: string;
  let ds: DataSource;

  beforeAll(async () => {
    app = await bootAuthApp({ FEEDBACK_EXPORT_BATCH_SIZE: '10' });
    ds = app.get(DataSource);
    admin = await createUser(app, { admin: true });
    user = await createUser(app);
    key = (
      await http(app)
        .post('/api/v1/api-keys')
        .set(bearer(user.accessToken))
        .send({ name: 'k', scopes: ['feedback:write'] })
        .expect(201)
    ).body.secret;
  });
  afterAll(() => app?.close());

  const count = async (where: string, params: unknown[]) =>
    (await ds.query(`SELECT count(*)::int AS n FROM feedback WHERE ${where}`, params))[0].n as number;

  it('replays the first response for a repeated Idempotency-Key and stores nothing new', async () => {
    const idem = `key-${Date.now()}`;
    const first = await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', key)
      .set('Idempotency-Key', idem)
      .send({ type: 'bug', message: 'once' })
      .expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', key)
      .set('Idempotency-Key', idem)
      .send({ type: 'bug', message: 'once' })
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count(`message = 'once'`, [])).toBe(1);
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM webhook_outbox WHERE data->>'id' = $1`, [first.body.id]))[0].n,
    ).toBe(1);
    // Keys are per client: the same key from another client is a new submission.
    const mine = await http(app)
      .post('/api/v1/feedback')
      .set(bearer(user.accessToken))
      .set('Idempotency-Key', idem)
      .send({ type: 'bug', message: 'once' })
      .expect(201);
    expect(mine.body.id).not.toBe(first.body.id);
    // Expired keys (older than the TTL) start over.
    await ds.query(
      `UPDATE feedback_idempotency_keys SET created_at = now() - interval '25 hours' WHERE idempotency_key = $1`,
      [idem],
    );
    const later = await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', key)
      .set('Idempotency-Key', idem)
      .send({ type: 'bug', message: 'once' })
      .expect(201);
    expect(later.body.id).not.toBe(first.body.id);
    await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', key)
      .set('Idempotency-Key', 'x'.repeat(256))
      .send({ type: 'bug', message: 'k' })
      .expect(400);
    // Housekeeping removes keys past the TTL.
    await ds.query(
      `UPDATE feedback_idempotency_keys SET created_at = now() - interval '25 hours' WHERE idempotency_key = $1`,
      [idem],
    );
    expect(await app.get(FeedbackHousekeeping).purge()).toBeGreaterThanOrEqual(1);
    expect(await ds.query(`SELECT 1 FROM feedback_idempotency_keys WHERE idempotency_key = $1`, [idem])).toHaveLength(
      0,
    );
  });

  it('stores once when concurrent requests share an Idempotency-Key', async () => {
    const idem = `race-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        http(app)
          .post('/api/v1/feedback')
          .set('X-API-Key', key)
          .set('Idempotency-Key', idem)
          .send({ type: 'feature', message: 'race' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count(`message = 'race'`, [])).toBe(1);
  });

  it('lets admins list with filters, read, triage and page; others get 403', async () => {
    const tag = `needle-${Date.now()}`;
    for (const [type, message] of [
      ['bug', `${tag} 100% broken`],
      ['feature', `${tag} dark mode`],
      ['comment', 'unrelated'],
    ]) {
      await http(app).post('/api/v1/feedback').set('X-API-Key', key).send({ type, message }).expect(201);
    }
    const auth = bearer(admin.accessToken);
    const found = await http(app).get('/api/v1/feedback').query({ q: tag }).set(auth).expect(200);
    expect(found.body.total).toBe(2);
    const bugs = await http(app).get('/api/v1/feedback').query({ q: tag, type: 'bug' }).set(auth).expect(200);
    expect(bugs.body.items.map((i: { message: string }) => i.message)).toEqual([`${tag} 100% broken`]);
    // LIKE wildcards in the search text are literal.
    expect(
      (await http(app).get('/api/v1/feedback').query({ q: '%' }).set(auth).expect(200)).body.items.every(
        (i: { message: string }) => i.message.includes('%'),
      ),
    ).toBe(true);
    const future = await http(app)
      .get('/api/v1/feedback')
      .query({ q: tag, from: new Date(Date.now() + 60000).toISOString() })
      .set(auth)
      .expect(200);
    expect(future.body.total).toBe(0);
    const page = await http(app).get('/api/v1/feedback').query({ q: tag, limit: 1, page: 2 }).set(auth).expect(200);
    expect(page.body).toMatchObject({ total: 2, page: 2, limit: 1 });
    expect(page.body.items).toHaveLength(1);

    const id = bugs.body.items[0].id;
    await http(app).get(`/api/v1/feedback/${id}`).set(auth).expect(200);
    const triaged = await http(app).patch(`/api/v1/feedback/${id}`).set(auth).send({ status: 'triaged' }).expect(200);
    expect(triaged.body.status).toBe('triaged');
    await http(app).patch(`/api/v1/feedback/${id}`).set(auth).send({ status: 'done' }).expect(400);
    await http(app).get('/api/v1/feedback/00000000-0000-4000-8000-000000000000').set(auth).expect(404);
    await http(app).get('/api/v1/feedback').set(bearer(user.accessToken)).expect(403);
    await http(app).get('/api/v1/feedback').set('X-API-Key', key).expect(403);
  });

  it('streams CSV (escaped, formula-guarded) and JSON exports across several batches', async () => {
    const tag = `export-${Date.now()}`;
    const tricky = `=HYPERLINK("http://evil") ${tag}, "quoted"\nnext line`;
    await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', key)
      .send({ type: 'bug', message: tricky, metadata: { a: '-1' } })
      .expect(201);
    for (let i = 0; i < 24; i++)
      await http(app)
        .post('/api/v1/feedback')
        .set('X-API-Key', key)
        .send({ type: 'comment', message: `${tag} #${i}` })
        .expect(201);
    const auth = bearer(admin.accessToken);
    const csv = await http(app)
      .get('/api/v1/feedback/export')
      .query({ format: 'csv', q: tag })
      .set(auth)
      .buffer(true)
      .parse((res, cb) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => cb(null, s));
      })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="feedback-.*\.csv"/);
    const text = csv.body as string;
    expect(text.startsWith('id,type,status,rating,message,contact,appVersion,metadata,userId,createdAt\r\n')).toBe(
      true,
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil"") ${tag}, ""quoted""\nnext line"`);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1 + 25);

    const json = await http(app).get('/api/v1/feedback/export').query({ format: 'json', q: tag }).set(auth).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toHaveLength(25);
    expect(json.body[0].message).toBe(tricky);
    await http(app).get('/api/v1/feedback/export').query({ format: 'xml' }).set(auth).expect(400);
  });

  it('includes feedback in the account export and erases it with the account', async () => {
    const u = await createUser(app);
    await http(app)
      .post('/api/v1/feedback')
      .set(bearer(u.accessToken))
      .send({ type: 'comment', message: 'mine' })
      .expect(201);
    const exp = await http(app).get('/api/v1/auth/me/export').set(bearer(u.accessToken)).expect(200);
    expect(exp.body.feedback).toHaveLength(1);
    expect(exp.body.feedback[0].message).toBe('mine');
    await http(app).delete('/api/v1/auth/me').set(bearer(u.accessToken)).send({ password: PASSWORD }).expect(204);
    expect(await count('user_id = $1', [u.id])).toBe(0);
  });

  it('never answers a random body with a 500: valid ones are stored, invalid ones get 400', async () => {
    const text = (max: number) => fc.string({ unit: 'binary', minLength: 0, maxLength: max });
    const valid = fc.record(
      {
        type: fc.constantFrom('bug', 'feature', 'comment'),
        message: fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 300 })
          .filter((s) => stripControl(s).length > 0),
        rating: fc.integer({ min: 1, max: 5 }),
        contact: fc.emailAddress(),
        appVersion: fc.stringMatching(/^[0-9a-z.-]{1,20}$/),
        metadata: fc.dictionary(
          fc.string({ maxLength: 20 }).filter((k) => k !== '__proto__' && stripControl(k) === k),
          fc.oneof(fc.string({ maxLength: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
          { maxKeys: 10 },
        ),
      },
      { requiredKeys: ['type', 'message'] },
    );
    const anything = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.oneof(fc.string(), fc.integer()),
          message: fc.oneof(text(20), fc.integer(), fc.constant(null)),
          rating: fc.oneof(fc.double(), fc.string()),
          extra: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.record({
        type: fc.constant('bug'),
        message: fc.string({ minLength: 1 }),
        metadata: fc.oneof(
          fc.anything(),
          fc.array(fc.integer()),
          fc.dictionary(fc.string(), fc.object(), { minKeys: 1 }),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(valid, async (body) => {
        const res = await http(app).post('/api/v1/feedback').set('X-API-Key', key).send(body);
        if (res.status !== 201) throw new Error(`valid body refused ${res.status} ${JSON.stringify(res.body)}`);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(anything, async (body) => {
        const res = await http(app)
          .post('/api/v1/feedback')
          .set('X-API-Key', key)
          .set('content-type', 'application/json')
          .send(JSON.stringify(body ?? null));
        if (res.status >= 500 || ![201, 400].includes(res.status))
          throw new Error(`got ${res.status} for ${JSON.stringify(body)}`);
      }),
      { numRuns: 150 },
    );
  });
});
