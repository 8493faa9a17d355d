import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PasswordHasher } from '../../src/modules/auth/password/password-hasher';
import { bootAuthApp, createUser, http, PASSWORD } from '../support/auth';

const LIMIT = 5;
const BURST = 40;

async function until(done: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The probe's finding: 40 simultaneous logins for one account checked 24 passwords (limit 5)
 * because the counters were read before the hash and written after it. Every password check
 * is held at a gate here, so without an atomic reservation all 40 reach the hasher.
 */
describe('login lockout under a concurrent burst', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await bootAuthApp({ LOGIN_MAX_FAILURES_PER_EMAIL: String(LIMIT), LOGIN_MAX_FAILURES_PER_IP: '1000' });
  });
  afterAll(() => app.close());

  it(`${BURST} parallel wrong logins check at most ${LIMIT} passwords, and the right one sent in the burst does not log in`, async () => {
    const user = await createUser(app);
    const hasher = app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    let checked = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const spy = jest.spyOn(hasher, 'verify').mockImplementation(async (hash, password) => {
      checked++;
      await gate;
      return verify(hash, password);
    });
    try {
      let answered = 0;
      const wrong = Array.from({ length: BURST }, (_, i) =>
        http(app)
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: `wrong-password-${i}` })
          .then((r) => {
            answered++;
            return r.status;
          }),
      );
      // Every wrong attempt has either reached the hasher (held) or been answered.
      await until(() => checked + answered === BURST, 'the burst to settle');
      let rightAnswered = false;
      const right = http(app)
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .then((r) => {
          rightAnswered = true;
          return r;
        });
      await until(() => rightAnswered || checked > BURST - answered, 'the right password to be answered or checked');
      release();
      const statuses = await Promise.all(wrong);
      const rightRes = await right;
      expect(checked).toBeLessThanOrEqual(LIMIT);
      expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(LIMIT);
      expect(statuses.filter((s) => s === 401).length).toBe(LIMIT);
      expect(rightRes.status).toBe(429);
      expect(rightRes.body.code).toBe('login-locked');
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('a success does not use up the per-IP budget (the reservation is given back)', async () => {
    const local = await bootAuthApp({
      LOGIN_MAX_FAILURES_PER_EMAIL: '5',
      LOGIN_MAX_FAILURES_PER_IP: '3',
      TRUST_PROXY: 'true',
    });
    try {
      // Registered (and first logged in) through the other app, from another IP.
      const u = await createUser(app);
      const attempt = (password: string) =>
        http(local).post('/api/v1/auth/login').set('X-Forwarded-For', '10.9.0.1').send({ email: u.email, password });
      for (let i = 0; i < 5; i++) expect((await attempt(PASSWORD)).status).toBe(200);
      expect((await attempt('wrong-password-1')).status).toBe(401);
      expect((await attempt(PASSWORD)).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
