import { randomBytes } from 'node:crypto';
import { LoadRoute, Outcome } from '../support/load-client';
import { ADMIN_PASSWORD, apiClient, signIn } from '../support/nexcore-process';

/** Who the chaos load acts as, and the rows it reads. */
export interface Actors {
  tag: string;
  admin: string;
  user: string;
  /** API key with feedback:write (its last_used_at is one of the counts checked). */
  apiKey: string;
  apiKeyId: string;
  /** The default every read resolves to (exact, or as the fallback of a wider context). */
  readKey: string;
}

export function adminEnv(tag: string): { ADMIN_EMAIL: string; ADMIN_PASSWORD: string } {
  return { ADMIN_EMAIL: `admin-${tag}@example.test`, ADMIN_PASSWORD };
}

export const newTag = (): string => `c${randomBytes(3).toString('hex')}`;

export async function prepareActors(base: string, tag: string): Promise<Actors> {
  const api = apiClient(base);
  const admin = await signIn(base, adminEnv(tag).ADMIN_EMAIL, ADMIN_PASSWORD);
  const user = await signIn(base);
  const key = await api('/api-keys', {
    token: user,
    body: { name: 'chaos', scopes: ['feedback:write', 'defaults:read'] },
    expect: 201,
  });
  const readKey = `${tag}.read`;
  await api(`/defaults/${readKey}`, {
    method: 'PUT',
    token: admin,
    body: { context: 'env=prod', value: { on: true } },
  });
  return { tag, admin, user, apiKey: key.secret, apiKeyId: key.key.id, readKey };
}

const BATCH = 5;

/**
 * The mixed traffic of the chaos suites: defaults reads (cached: one fixed context; uncached: a
 * new context per request, resolved by fallback), single writes, all-or-nothing batches,
 * auth/me, feedback intake with an API key, and readiness.
 */
export function mixedRoutes(a: Actors): LoadRoute[] {
  const user = { authorization: `Bearer ${a.user}` };
  const admin = { authorization: `Bearer ${a.admin}` };
  return [
    {
      name: 'defaults-read-cached',
      request: () => ({ path: `/api/v1/defaults/${a.readKey}?context=env=prod`, headers: user }),
    },
    {
      name: 'defaults-read-uncached',
      request: (n) => ({ path: `/api/v1/defaults/${a.readKey}?context=env=prod;n=${n}`, headers: user }),
    },
    {
      name: 'defaults-write',
      request: (n) => ({
        method: 'PUT',
        path: `/api/v1/defaults/${a.tag}.w.${n % 20}`,
        headers: admin,
        body: { value: n },
      }),
    },
    {
      name: 'defaults-batch',
      request: (n) => ({
        path: '/api/v1/defaults/batch',
        headers: admin,
        body: {
          items: Array.from({ length: BATCH }, (_, i) => ({ op: 'upsert', key: `${a.tag}.b.${n}.${i}`, value: i })),
        },
      }),
    },
    { name: 'auth-me', request: () => ({ path: '/api/v1/auth/me', headers: user }) },
    {
      name: 'feedback',
      request: (n) => ({
        path: '/api/v1/feedback',
        headers: { 'x-api-key': a.apiKey },
        body: { type: 'comment', message: `${a.tag} #${n}` },
      }),
    },
    { name: 'health-ready', request: () => ({ path: '/api/v1/health/ready' }) },
  ];
}

export const BATCH_SIZE = BATCH;

/** Resolves that answered 200: each one must end up in the row's usage_count. */
export const servedReads = (outcomes: Outcome[]): number =>
  outcomes.filter((o) => o.route.startsWith('defaults-read') && o.status === 200).length;

/** Seconds, one decimal. */
export const secs = (ms: number): number => Math.round(ms / 100) / 10;
