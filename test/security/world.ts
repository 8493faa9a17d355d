import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, createUser, http, login, TestUser } from '../support/auth';
import { API_KEY_SCOPES } from '../../src/common/auth/scopes';

export interface ApiKey {
  id: string;
  secret: string;
}

/** A user with one resource of every kind they can own (sources, jobs, keys, sessions, feedback). */
export interface Owner extends TestUser {
  sourceId: string;
  jobId: string;
  apiKey: ApiKey;
  /** A second session (another login) whose id can be revoked. */
  extraSessionId: string;
  feedbackId: string;
}

export const ALL_SCOPES = [...API_KEY_SCOPES];

export async function createApiKey(
  app: NestFastifyApplication,
  user: TestUser,
  scopes = ALL_SCOPES,
  name = 'security suite',
): Promise<ApiKey> {
  const res = await http(app).post('/api/v1/api-keys').set(bearer(user.accessToken)).send({ name, scopes });
  if (res.status !== 201) throw new Error(`api key: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.key.id, secret: res.body.secret };
}

/**
 * A user owning one of everything. Needs an app without the crawl worker (APP_ROLE=api) so the
 * job stays queued and no request leaves the machine.
 */
export async function createOwner(
  app: NestFastifyApplication,
  opts: { admin?: boolean; tag?: string } = {},
): Promise<Owner> {
  const user = await createUser(app, { admin: opts.admin });
  const tag = opts.tag ?? 'owner';
  const src = await http(app)
    .post('/api/v1/sources')
    .set(bearer(user.accessToken))
    .send({ url: `https://${tag}-${user.id.slice(0, 8)}.example.com/docs`, maxPages: 1 });
  if (src.status !== 202) throw new Error(`source: ${src.status} ${JSON.stringify(src.body)}`);
  const apiKey = await createApiKey(app, user, ALL_SCOPES, `${tag} key`);
  const second = await login(app, user.email);
  const sessions = await http(app).get('/api/v1/auth/sessions').set(bearer(user.accessToken));
  const extra = (sessions.body as { id: string; current?: boolean }[]).find((s) => !s.current);
  const fb = await http(app)
    .post('/api/v1/feedback')
    .set(bearer(second.accessToken))
    .send({ type: 'comment', message: `feedback from ${tag} ${user.email}` });
  if (fb.status !== 201 && fb.status !== 202) throw new Error(`feedback: ${fb.status} ${JSON.stringify(fb.body)}`);
  return {
    ...user,
    sourceId: src.body.id,
    jobId: src.body.job.id,
    apiKey,
    extraSessionId: extra?.id ?? '',
    feedbackId: fb.body.id,
  };
}
