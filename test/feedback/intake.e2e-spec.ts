import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

describe('Feedback intake', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  let apiKey: string;
  let readOnlyKey: string;

  beforeAll(async () => {
    app = await bootAuthApp({ FEEDBACK_ALLOW_ANONYMOUS: 'false' });
    user = await createUser(app);
    const k = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(user.accessToken))
      .send({ name: 'fb', scopes: ['feedback:write'] })
      .expect(201);
    apiKey = k.body.secret;
    const r = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(user.accessToken))
      .send({ name: 'ro', scopes: ['profile:read'] })
      .expect(201);
    readOnlyKey = r.body.secret;
  });
  afterAll(() => app?.close());

  const post = () => http(app).post('/api/v1/feedback');
  const valid = {
    type: 'bug',
    message: 'The save button does nothing',
    rating: 2,
    contact: 'a@example.com',
    appVersion: '1.2.3',
    metadata: { os: 'linux', beta: true, build: 42 },
  };

  it('stores feedback sent with an API key that has feedback:write, and writes its outbox event in the same transaction', async () => {
    const res = await post().set('X-API-Key', apiKey).send(valid).expect(201);
    expect(res.body).toMatchObject({ ...valid, status: 'new', userId: user.id });
    const ds = app.get(DataSource);
    const [row] = await ds.query(`SELECT api_key_id FROM feedback WHERE id = $1`, [res.body.id]);
    expect(row.api_key_id).not.toBeNull();
    const events = await ds.query(
      `SELECT data FROM webhook_outbox WHERE event_type = 'feedback.received' AND data->>'id' = $1`,
      [res.body.id],
    );
    expect(events).toHaveLength(1);
  });

  it('accepts a logged-in user', async () => {
    const res = await post().set(bearer(user.accessToken)).send({ type: 'comment', message: 'nice' }).expect(201);
    expect(res.body.userId).toBe(user.id);
  });

  it('refuses anonymous clients when FEEDBACK_ALLOW_ANONYMOUS is off, keys without the scope, and bad credentials', async () => {
    expect((await post().send(valid).expect(401)).headers['content-type']).toMatch(/problem\+json/);
    await post().set('X-API-Key', readOnlyKey).send(valid).expect(403);
    await post().set('X-API-Key', 'nxk_bogus_bogus').send(valid).expect(401);
    await post().set(bearer('not.a.jwt')).send(valid).expect(401);
  });

  it('refuses unknown fields and out-of-range values with 400 problem+json listing the fields', async () => {
    const res = await post()
      .set('X-API-Key', apiKey)
      .send({ ...valid, admin: true })
      .expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(JSON.stringify(res.body.errors)).toContain('admin');
    for (const bad of [
      { ...valid, type: 'praise' },
      { ...valid, message: '' },
      { ...valid, message: 'x'.repeat(10001) },
      { ...valid, rating: 6 },
      { ...valid, rating: 2.5 },
      { ...valid, contact: 'not-an-email' },
      { ...valid, metadata: { nested: { a: 1 } } },
      { ...valid, metadata: { list: [1, 2] } },
      { ...valid, metadata: { long: 'x'.repeat(1001) } },
      { ...valid, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      { ...valid, metadata: [1] },
      { ...valid, message: '\u0000\u0007' },
    ]) {
      const r = await post().set('X-API-Key', apiKey).send(bad);
      expect([r.status, JSON.stringify(bad).slice(0, 80)]).toEqual([400, JSON.stringify(bad).slice(0, 80)]);
    }
    await post()
      .set('X-API-Key', apiKey)
      .send({
        ...valid,
        message: 'x'.repeat(10000),
        metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'y'.repeat(1000)])),
      })
      .expect(201);
  });

  it('strips control characters but stores the rest of the text exactly as sent', async () => {
    const message = 'He said "<script>alert(1)</script>"\u0000 =SUM(A1)\ttab\nline \u202e ü 😀\u0007';
    const res = await post()
      .set('X-API-Key', apiKey)
      .send({ type: 'bug', message, metadata: { 'k\u0001ey': 'v\u001balue' } })
      .expect(201);
    expect(res.body.message).toBe('He said "<script>alert(1)</script>" =SUM(A1)\ttab\nline \u202e ü 😀');
    expect(res.body.metadata).toEqual({ key: 'value' });
  });

  it('answers 413 problem+json for a body over MAX_PAYLOAD_SIZE_MB', async () => {
    const res = await post()
      .set('X-API-Key', apiKey)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ type: 'bug', message: 'x'.repeat(1024 * 1024 + 10) }))
      .expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('payload-too-large');
  });

  it('counts outcomes by type in Prometheus', async () => {
    const metrics = await http(app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/feedback_received_total\{type="bug",outcome="accepted"\} [1-9]/);
    expect(metrics.text).toMatch(
      /feedback_received_total\{type="praise",outcome="400"\}|feedback_received_total\{type="unknown",outcome="400"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/feedback_received_total\{type="unknown",outcome="413"\} [1-9]/);
  });
});
