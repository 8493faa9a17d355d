import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Environment of the built server under a benchmark: production settings, limits out of reach. */
export function benchServerEnv(port: number, logLevel = 'warn'): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: logLevel,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost:5432/nexcore_test',
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://localhost:6379/0',
    JWT_SECRET: `bench-${randomBytes(16).toString('hex')}`,
    // Production refuses to boot without it (GET /metrics needs a bearer token).
    METRICS_TOKEN: `bench-${randomBytes(16).toString('hex')}`,
    RATE_LIMIT_THRESHOLD: '1000000',
  };
}

/** POST a JSON body; throws on a non-2xx answer (benchmark set-up must not fail silently). */
export async function postJson(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export interface Figures {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a server in its own process so it does not share an event loop with the load generator. */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
): Promise<ChildProcess> {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(readyUrl)).ok) return proc;
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${proc.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`${readyUrl} never became ready`);
}

export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

export async function load(
  name: string,
  url: string,
  opts: { connections?: number; duration?: number; headers?: Record<string, string> } = {},
): Promise<Figures> {
  const duration = opts.duration ?? Number(process.env.BENCH_DURATION ?? 10);
  // A short warm-up so JIT and connection pools are settled before the measured run.
  await autocannon({ url, connections: opts.connections ?? 50, duration: 2, headers: opts.headers });
  const r = await autocannon({ url, connections: opts.connections ?? 50, duration, headers: opts.headers });
  return {
    name,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

export function report(title: string, rows: Figures[], baseline: Figures): void {
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(
    'target'.padEnd(44) +
      'req/s'.padStart(9) +
      'p50 ms'.padStart(9) +
      'p99 ms'.padStart(9) +
      'non2xx'.padStart(9) +
      'ratio'.padStart(8) +
      '\n',
  );
  for (const r of rows) {
    const ratio = (r.reqPerSec / baseline.reqPerSec).toFixed(2);
    process.stdout.write(
      r.name.padEnd(44) +
        String(r.reqPerSec).padStart(9) +
        String(r.p50).padStart(9) +
        String(r.p99).padStart(9) +
        String(r.non2xx + r.errors).padStart(9) +
        ratio.padStart(8) +
        '\n',
    );
  }
}
