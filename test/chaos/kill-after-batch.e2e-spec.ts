import { Client } from 'pg';
import {
  apiClient,
  ADMIN_PASSWORD,
  NexcoreProcess,
  processEnv,
  signIn,
  startNexcore,
} from '../support/nexcore-process';
import { TEST_DATABASE_URL } from '../support/test-env';
import { adminEnv, newTag } from './mixed-traffic';

const ITEMS = 1000;

/**
 * kill -9 of the API process right after a 1000-item defaults batch answered 2xx: every one of
 * its 1000 defaults.changed events is in the webhook outbox (written by the batch's own
 * transaction). With the old after-commit listener an outside probe found 0 of 1000.
 */
describe('chaos: SIGKILL right after a defaults batch', () => {
  let server: NexcoreProcess | undefined;
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  const tag = newTag();

  beforeAll(async () => {
    await db.connect();
    server = await startNexcore(processEnv({ LOG_LEVEL: 'warn', APP_ROLE: 'api', ...adminEnv(tag) }));
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.end();
  });

  it('has all 1000 defaults.changed outbox rows after a kill -9 following the 2xx', async () => {
    const admin = await signIn(server!.base, adminEnv(tag).ADMIN_EMAIL, ADMIN_PASSWORD);
    const call = apiClient(server!.base);
    const items = Array.from({ length: ITEMS }, (_, i) => ({ op: 'upsert', key: `${tag}.kill.${i}`, value: i }));
    await call('/defaults/batch', { token: admin, body: { items }, expect: 200 });
    server!.kill('SIGKILL');
    await server!.done;
    const [{ n }] = (
      await db.query(`SELECT count(*)::int AS n FROM default_values WHERE key LIKE $1`, [`${tag}.kill.%`])
    ).rows;
    expect(n).toBe(ITEMS);
    const [{ events }] = (
      await db.query(
        `SELECT count(*)::int AS events FROM webhook_outbox WHERE event_type = 'defaults.changed' AND data->>'key' LIKE $1`,
        [`${tag}.kill.%`],
      )
    ).rows;
    expect(events).toBe(ITEMS);
  }, 60000);
});
