import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { API_BASE_PATH } from '../../src/common/http/api-version';
import { Run, startServer } from './process';
import { freePort } from './redis-server';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env';

// Loosely typed on purpose: the suites read a few fields of known responses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const ADMIN_PASSWORD = 'chaos-admin-password-1';

/** Environment every separately started nexcore process gets; callers override per scenario. */
export function processEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX ?? `nxp:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    DB_MIGRATIONS_RUN: 'false',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // The load client is one principal sending thousands of requests a second: the limiter runs
    // (its Redis round trip is part of every figure) but with a budget the load never reaches.
    RATE_LIMIT_THRESHOLD: '1000000',
    AUTH_FAILURE_LIMIT: '1000000',
    CRAWLER_ALLOW_PRIVATE_NETWORKS: 'true',
    CRAWLER_POLITENESS_DELAY_MS: '0',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...overrides,
  };
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}

export interface NexcoreProcess {
  base: string;
  pid: number;
  done: Promise<Run>;
  output: () => string;
  kill: (signal: NodeJS.Signals) => void;
  /** The logged errors of these requests (stack included), to print when a suite finds a 500. */
  errorsOf: (requestIds: (string | undefined)[]) => string[];
  /** SIGTERM (unless already gone) and the exit. */
  stop: () => Promise<Run>;
}

/**
 * The built server (`node dist/main.js`, optionally `worker`) as its own process. Resolves once
 * an API answers /health/live, or once a worker logged that it started.
 */
export async function startNexcore(
  env: Record<string, string>,
  opts: { worker?: boolean; timeoutMs?: number } = {},
): Promise<NexcoreProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const server = startServer(
    { ...env, PORT: String(port), ...(opts.worker ? { APP_ROLE: 'worker', LOG_LEVEL: 'info' } : {}) },
    opts.worker ? ['worker'] : [],
  );
  const base = `http://127.0.0.1:${port}`;
  const handle: NexcoreProcess = {
    base,
    pid: server.proc.pid!,
    done: server.done,
    output: server.output,
    errorsOf: (ids) =>
      server
        .output()
        .split('\n')
        .filter((l) => l.includes('"context":"Errors"') && ids.some((id) => id && l.includes(id)))
        .map((l) => l.slice(0, 3000)),
    kill: (signal) => {
      if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill(signal);
    },
    stop: async () => {
      handle.kill('SIGTERM');
      return server.done;
    },
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30000);
  while (Date.now() < deadline) {
    if (server.proc.exitCode !== null)
      throw new Error(`nexcore exited with ${server.proc.exitCode}: ${server.output()}`);
    if (opts.worker) {
      if (server.output().includes('worker started')) return handle;
    } else {
      try {
        if ((await fetch(`${base}${API_BASE_PATH}/health/live`)).ok) return handle;
      } catch {
        /* not listening yet */
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.proc.kill('SIGKILL');
  throw new Error(`nexcore did not start within the timeout: ${server.output()}`);
}

/** A tiny JSON client for setup calls (not the load itself). */
export function apiClient(base: string) {
  return async function api(
    path: string,
    opts: { method?: string; body?: unknown; token?: string; apiKey?: string; expect?: number } = {},
  ): Promise<Json> {
    const res = await fetch(`${base}${API_BASE_PATH}${path}`, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.apiKey ? { 'x-api-key': opts.apiKey } : {}),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    if (opts.expect !== undefined ? res.status !== opts.expect : !res.ok)
      throw new Error(`${path} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as Json) : {};
  };
}

/** Registers and logs in a user; with `ADMIN_EMAIL` set on the server the same call logs the admin in. */
export async function signIn(
  base: string,
  email = `load-${randomBytes(4).toString('hex')}@example.test`,
  password = 'load-password-1234',
): Promise<string> {
  const api = apiClient(base);
  if (password !== ADMIN_PASSWORD) await api('/auth/register', { body: { email, password }, expect: 201 });
  return (await api('/auth/login', { body: { email, password }, expect: 200 })).accessToken as string;
}
