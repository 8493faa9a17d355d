import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, ROOT, startProcess, stopProcess } from './harness';

// Loosely typed on purpose: benches read a few fields of known responses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface Login {
  email: string;
  password: string;
}

/** The built server (API + worker) on a free port, with a fresh user (or `login`'s) logged in. */
export async function startNexcore(env: Record<string, string>, login?: Login) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = await startProcess(
    [join(ROOT, 'dist', 'main.js')],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      APP_ROLE: 'all',
      REDIS_KEY_PREFIX: `bench:${randomBytes(3).toString('hex')}:`,
      RATE_LIMIT_THRESHOLD: '1000000',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      CRAWLER_ALLOW_PRIVATE_NETWORKS: 'true',
      CRAWLER_POLITENESS_DELAY_MS: '0',
      ...env,
    },
    `${base}/api/v1/health/live`,
  );
  let token = '';
  const api = async (path: string, body?: unknown, method?: string): Promise<Json> => {
    const res = await fetch(`${base}${path}`, {
      method: method ?? (body ? 'POST' : 'GET'),
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.status === 204 ? {} : ((await res.json()) as Json);
  };
  const user = login ?? {
    email: `bench-${randomBytes(4).toString('hex')}@example.test`,
    password: 'bench-password-1234',
  };
  if (!login) await api('/api/v1/auth/register', user);
  token = (await api('/api/v1/auth/login', user)).accessToken;

  /** Submits a source and waits for its crawl to end. */
  const crawl = async (body: Json): Promise<{ sourceId: string; job: Json }> => {
    const src = await api('/api/v1/sources', body);
    let job = src.job;
    while (!['completed', 'failed', 'cancelled'].includes(job.status)) {
      await new Promise((r) => setTimeout(r, 250));
      job = await api(`/api/v1/ingestion-jobs/${job.id}`);
    }
    return { sourceId: src.id, job };
  };
  return { base, api, crawl, user, stop: () => stopProcess(proc) };
}
