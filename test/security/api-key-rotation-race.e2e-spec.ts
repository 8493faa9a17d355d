import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

// Long enough that five "concurrent" rotations land inside one grace period on a loaded machine.
const GRACE_SECONDS = 6;

/**
 * The probe's finding: 5 concurrent rotations of one key all answered 200, but only 2 of the 5
 * returned secrets worked and the grace secret died at once. The rule now: a rotation locks the
 * key row and is refused (409) while the previous secret is still in its grace period, so every
 * secret a 200 answer returned keeps working (the current one until the next rotation, the
 * previous one until its grace ends).
 */
describe('concurrent API key rotations', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  beforeAll(async () => {
    app = await bootAuthApp({ API_KEY_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS) });
    user = await createUser(app);
  });
  afterAll(() => app.close());

  const withKey = (secret: string) => http(app).get('/api/v1/auth/me').set('X-API-Key', secret);
  const rotate = (id: string) => http(app).post(`/api/v1/api-keys/${id}/rotate`).set(bearer(user.accessToken));
  const createKey = async () => {
    const res = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(user.accessToken))
      .send({ name: 'ci', scopes: ['profile:read'] });
    expect(res.status).toBe(201);
    return res.body as { key: { id: string }; secret: string };
  };

  it('5 concurrent rotations: one wins, the others get 409, and every secret answered with 200 works', async () => {
    const { key, secret: original } = await createKey();
    const answers = await Promise.all(Array.from({ length: 5 }, () => rotate(key.id)));
    const won = answers.filter((r) => r.status === 200);
    const lost = answers.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    for (const r of lost) {
      expect(r.status).toBe(409);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body.code).toBe('api-key-rotation-pending');
      expect(Date.parse(r.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
    }
    const issued = [original, ...won.map((r) => r.body.secret as string)];
    for (const secret of issued) expect((await withKey(secret)).status).toBe(200);
  });

  it('a rotation inside the grace period is refused, then allowed once the grace has ended', async () => {
    const { key, secret: first } = await createKey();
    const r1 = await rotate(key.id);
    expect(r1.status).toBe(200);
    const second = r1.body.secret as string;
    const early = await rotate(key.id);
    expect(early.status).toBe(409);
    // The refused rotation changed nothing: both secrets still work.
    expect((await withKey(first)).status).toBe(200);
    expect((await withKey(second)).status).toBe(200);
    await new Promise((r) => setTimeout(r, GRACE_SECONDS * 1000 + 200));
    expect((await withKey(first)).status).toBe(401);
    const answers = await Promise.all(Array.from({ length: 5 }, () => rotate(key.id)));
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(4);
    expect((await withKey(second)).status).toBe(200);
    expect((await withKey(won[0].body.secret)).status).toBe(200);
  });
});
