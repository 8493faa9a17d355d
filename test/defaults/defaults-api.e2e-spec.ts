import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

describe('defaults API (CRUD, resolve with fallback, batch, history, access)', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let user: TestUser;
  const base = '/api/v1/defaults';
  const put = (key: string, body: object, headers: Record<string, string> = {}) =>
    http(app).put(`${base}/${key}`).set(bearer(admin.accessToken)).set(headers).send(body);
  const get = (key: string, context?: string, token = user.accessToken) =>
    http(app)
      .get(`${base}/${key}`)
      .query(context === undefined ? {} : { context })
      .set(bearer(token));

  beforeAll(async () => {
    app = await bootAuthApp({ DEFAULTS_MAX_VALUE_BYTES: '1024', DEFAULTS_BATCH_MAX: '50' });
    admin = await createUser(app, { admin: true });
    user = await createUser(app);
  });
  afterAll(() => app?.close());

  it('creates with 201 and an ETag, updates with 200 and a new version', async () => {
    const created = await put('report.language', {
      context: { team: 'ops', env: 'prod' },
      value: 'en',
      confidence: 0.7,
    }).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      key: 'report.language',
      context: 'env=prod;team=ops',
      value: 'en',
      confidence: 0.7,
      version: 1,
    });
    // The string spelling with other case and order addresses the same row.
    const updated = await put('report.language', { context: 'TEAM=ops; env=prod', value: { lang: 'de' } }).expect(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(updated.body).toMatchObject({
      context: 'env=prod;team=ops',
      value: { lang: 'de' },
      confidence: 0.7,
      version: 2,
    });
  });

  it('resolves exact, then the largest stored subset, then the global row, saying which and why; 404 otherwise', async () => {
    await put('ui.theme', { value: 'light' }).expect(201);
    await put('ui.theme', { context: 'team=ops', value: 'dark' }).expect(201);
    await put('ui.theme', { context: 'team=ops;env=prod', value: 'contrast' }).expect(201);
    await put('ui.theme', { context: 'region=eu', value: 'blue' }).expect(201);

    const exact = await get('ui.theme', 'env=prod;team=ops').expect(200);
    expect(exact.body).toMatchObject({ value: 'contrast', match: 'exact', matchedContext: 'env=prod;team=ops' });
    expect(exact.headers.etag).toBe('"1"');

    const fallback = await get('ui.theme', 'team=ops;env=dev;device=mobile').expect(200);
    expect(fallback.body).toMatchObject({
      value: 'dark',
      match: 'fallback',
      matchedContext: 'team=ops',
      context: 'device=mobile;env=dev;team=ops',
    });
    expect(fallback.body.reason).toContain('largest stored subset (1 of 3');

    const global = await get('ui.theme', 'team=sales').expect(200);
    expect(global.body).toMatchObject({ value: 'light', match: 'global', matchedContext: '' });
    expect((await get('ui.theme').expect(200)).body).toMatchObject({ match: 'exact', value: 'light' });

    const missing = await get('no.such.key', 'team=ops').expect(404);
    expect(missing.body.code).toBe('default-not-found');
  });

  it('answers 400 for bad key characters and bad contexts, 413 for an oversize value', async () => {
    expect((await get('bad$key').expect(400)).body.code).toBe('invalid-key');
    expect((await put('bad%20key', { value: 1 }).expect(400)).body.code).toBe('invalid-key');
    expect((await get('ok.key', 'team').expect(400)).body.code).toBe('invalid-context');
    expect((await get('ok.key', 'team=a;Team=b').expect(400)).body.code).toBe('invalid-context');
    expect((await put('ok.key', { context: { team: 5 }, value: 1 }).expect(400)).body.code).toBe('invalid-context');
    expect((await put('ok.key', { context: [1], value: 1 }).expect(400)).body.code).toBe('invalid-context');
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`a${i}`, 'x']));
    expect((await put('ok.key', { context: tooMany, value: 1 }).expect(400)).body.code).toBe('invalid-context');
    await put('ok.key', { value: 1, confidence: 2 }).expect(400);
    await put('ok.key', { value: 1, extra: true }).expect(400);
    await put('ok.key', {}).expect(400);
    expect((await put('model', { value: 1 }).expect(400)).body.code).toBe('invalid-key');
    const big = await put('ok.key', { value: 'x'.repeat(2000) }).expect(413);
    expect(big.body.code).toBe('value-too-large');
    await get('ok.key').expect(404);
  });

  it('enforces If-Match: 412 on a stale or unknown version, success on the current one', async () => {
    const v1 = await put('lock.key', { value: 1 }).expect(201);
    await put('lock.key', { value: 2 }, { 'If-Match': v1.headers.etag }).expect(200);
    const stale = await put('lock.key', { value: 3 }, { 'If-Match': v1.headers.etag }).expect(412);
    expect(stale.body.code).toBe('precondition-failed');
    await put('lock.key', { value: 3 }, { 'If-Match': 'garbage' }).expect(412);
    await put('never.created', { value: 3 }, { 'If-Match': '"1"' }).expect(412);
    await put('lock.key', { value: 3 }, { 'If-Match': '*' }).expect(200);
    expect((await get('lock.key').expect(200)).body.value).toBe(3);
    await http(app).delete(`${base}/lock.key`).set(bearer(admin.accessToken)).set('If-Match', '"1"').expect(412);
  });

  it('deletes a (key, context) and 404s when there is none', async () => {
    await put('del.key', { context: 'team=ops', value: 'a' }).expect(201);
    await put('del.key', { value: 'g' }).expect(201);
    await http(app).delete(`${base}/del.key`).query({ context: 'team=ops' }).set(bearer(admin.accessToken)).expect(204);
    expect((await get('del.key', 'team=ops').expect(200)).body).toMatchObject({ match: 'global', value: 'g' });
    await http(app).delete(`${base}/del.key`).query({ context: 'team=ops' }).set(bearer(admin.accessToken)).expect(404);
  });

  it('applies a batch in one transaction and rolls everything back when one item is bad, listing each by index', async () => {
    const ok = await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({
        items: [
          { op: 'upsert', key: 'b.one', context: 'x=1', value: 1 },
          { op: 'upsert', key: 'b.two', value: [2] },
          { op: 'delete', key: 'del.key' },
        ],
      })
      .expect(200);
    expect(ok.body).toMatchObject({ upserted: 2, deleted: 1 });
    await get('del.key').expect(404);

    const bad = await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({
        items: [
          { op: 'upsert', key: 'b.one', context: 'x=1', value: 'changed' },
          { op: 'upsert', key: 'bad key', value: 1 },
          { op: 'upsert', key: 'b.three', value: 'x'.repeat(2000) },
          { op: 'upsert', key: 'b.four', context: 'nope', value: 1 },
          { op: 'frobnicate', key: 'b.five' },
          { op: 'upsert', key: 'b.one', context: 'X=1', value: 'dup' },
        ],
      })
      .expect(422);
    expect(bad.body.code).toBe('batch-item-errors');
    expect(bad.body.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [1, 'invalid-key'],
      [2, 'value-too-large'],
      [3, 'invalid-context'],
      [4, 'invalid-op'],
      [5, 'duplicate-item'],
    ]);

    // A failure found inside the transaction (deleting a row that does not exist) undoes the rest.
    const late = await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({
        items: [
          { op: 'upsert', key: 'b.one', context: 'x=1', value: 'changed' },
          { op: 'upsert', key: 'b.new', value: 1 },
          { op: 'delete', key: 'b.absent' },
        ],
      })
      .expect(422);
    expect(late.body.errors).toEqual([expect.objectContaining({ index: 2, code: 'not-found' })]);
    expect((await get('b.one', 'x=1').expect(200)).body.value).toBe(1);
    await get('b.new').expect(404);

    const tooBig = await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({ items: Array.from({ length: 51 }, (_, i) => ({ op: 'upsert', key: `k${i}`, value: i })) })
      .expect(413);
    expect(tooBig.body.code).toBe('batch-too-large');
  });

  it('lists with filters, sort, page (with total) and cursor pagination', async () => {
    await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({
        items: Array.from({ length: 7 }, (_, i) => ({
          op: 'upsert',
          key: `list.k${i}`,
          context: i % 2 ? 'team=ops;env=prod' : 'team=dev',
          value: i,
          confidence: i / 10,
        })),
      })
      .expect(200);
    const all = await http(app)
      .get(base)
      .query({ keyPrefix: 'list.', limit: 3 })
      .set(bearer(user.accessToken))
      .expect(200);
    expect(all.body.items.map((i: { key: string }) => i.key)).toEqual(['list.k0', 'list.k1', 'list.k2']);
    const next = await http(app)
      .get(base)
      .query({ keyPrefix: 'list.', limit: 3, cursor: all.body.nextCursor })
      .set(bearer(user.accessToken))
      .expect(200);
    expect(next.body.items.map((i: { key: string }) => i.key)).toEqual(['list.k3', 'list.k4', 'list.k5']);
    const ops = await http(app)
      .get(base)
      .query({ keyPrefix: 'list.', context: 'TEAM=ops', sort: '-confidence', page: 1, limit: 2 })
      .set(bearer(user.accessToken))
      .expect(200);
    expect(ops.body.total).toBe(3);
    expect(ops.body.items.map((i: { key: string }) => i.key)).toEqual(['list.k5', 'list.k3']);
    expect(
      (await http(app).get(base).query({ key: 'list.k2' }).set(bearer(user.accessToken)).expect(200)).body.items,
    ).toHaveLength(1);
    await http(app).get(base).query({ limit: 101 }).set(bearer(user.accessToken)).expect(400);
    await http(app)
      .get(base)
      .query({ sort: 'confidence', cursor: all.body.nextCursor })
      .set(bearer(user.accessToken))
      .expect(400);
    await http(app).get(base).query({ cursor: '!!' }).set(bearer(user.accessToken)).expect(400);
  });

  it('keeps the audit history of a (key, context): old and new values, actor, time', async () => {
    await put('hist.key', { context: 'team=ops', value: 'a' }).expect(201);
    await put('hist.key', { context: 'team=ops', value: 'b' }).expect(200);
    await http(app)
      .delete(`${base}/hist.key`)
      .query({ context: 'team=ops' })
      .set(bearer(admin.accessToken))
      .expect(204);
    const h = await http(app)
      .get(`${base}/hist.key/history`)
      .query({ context: 'team=ops' })
      .set(bearer(user.accessToken))
      .expect(200);
    expect(h.body.items.map((i: { action: string }) => i.action)).toEqual([
      'defaults.delete',
      'defaults.upsert',
      'defaults.upsert',
    ]);
    expect(h.body.items[1]).toMatchObject({
      actorId: admin.id,
      oldValue: { value: 'a', version: 1 },
      newValue: { value: 'b', version: 2 },
    });
    expect(h.body.items[0]).toMatchObject({ oldValue: { value: 'b' }, newValue: null });
    expect(typeof h.body.items[0].at).toBe('string');
  });

  it('lets any user read but only admins or admin-owned defaults:write API keys write', async () => {
    await http(app).get(`${base}/ui.theme`).expect(401);
    const denied = await http(app).put(`${base}/x.key`).set(bearer(user.accessToken)).send({ value: 1 }).expect(403);
    expect(denied.body.status).toBe(403);
    await http(app).post(`${base}/batch`).set(bearer(user.accessToken)).send({ items: [] }).expect(403);

    const mk = async (scopes: string[], owner = user) =>
      (
        await http(app)
          .post('/api/v1/api-keys')
          .set(bearer(owner.accessToken))
          .send({ name: scopes.join('+') || 'none', scopes })
          .expect(201)
      ).body.secret as string;
    const reader = await mk(['defaults:read']);
    const writer = await mk(['defaults:read', 'defaults:write'], admin);
    const other = await mk(['profile:read']);
    await http(app).get(`${base}/ui.theme`).set('X-API-Key', reader).expect(200);
    await http(app).get(`${base}/ui.theme`).set('X-API-Key', other).expect(403);
    await http(app).put(`${base}/x.key`).set('X-API-Key', reader).send({ value: 1 }).expect(403);
    await http(app).put(`${base}/x.key`).set('X-API-Key', writer).send({ value: 1 }).expect(201);
    // A user cannot do through their own key what their role may not do.
    const usersWriter = await mk(['defaults:write']);
    await http(app).put(`${base}/x.key`).set('X-API-Key', usersWriter).send({ value: 2 }).expect(403);
    await http(app).post(`${base}/batch`).set('X-API-Key', usersWriter).send({ items: [] }).expect(403);
    await http(app).post(`${base}/model/train`).set('X-API-Key', writer).expect(403);
  });

  it('stores rows with the schema constraints (unique key+context, confidence range)', async () => {
    const ds = app.get(DataSource);
    await expect(
      ds.query(`INSERT INTO default_values (key, context, value) VALUES ('ui.theme', '', '"x"')`),
    ).rejects.toThrow(/unique/i);
    await expect(
      ds.query(`INSERT INTO default_values (key, context, value, confidence) VALUES ('c.k', '', '"x"', 1.5)`),
    ).rejects.toThrow(/check/i);
  });
});
