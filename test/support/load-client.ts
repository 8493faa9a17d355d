/**
 * A small closed-loop load client for the chaos suites: `concurrency` loops each send one request
 * at a time, round-robin over the routes, until stopped. Unlike autocannon (used by the load suite
 * for throughput) it keeps every outcome with its time, so a suite can ask "what did clients see
 * while Redis was down" and count exactly what the server accepted.
 */
export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadRoute {
  name: string;
  /** Builds the n-th request of this route (unique bodies, rotating keys). */
  request: (n: number) => LoadRequest;
}

export interface Outcome {
  route: string;
  /** HTTP status, or 0 when no response came (see `error`). */
  status: number;
  /** Request start and end, ms since the epoch. */
  start: number;
  end: number;
  error?: string;
  contentType?: string;
  body?: string;
  /** What the route's request builder was called with. */
  n: number;
  requestId?: string;
}

export interface LoadOptions {
  base: string;
  routes: LoadRoute[];
  concurrency: number;
  /** A request without an answer within this is an error (`timeout`): "no hangs". */
  timeoutMs?: number;
  /** Keep bodies of non-2xx answers (problem+json checks). */
  keepErrorBodies?: boolean;
}

export class LoadClient {
  readonly outcomes: Outcome[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];
  private counter = 0;

  constructor(private readonly opts: LoadOptions) {}

  start(): this {
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop(i));
    return this;
  }

  async stop(): Promise<Outcome[]> {
    this.stopped = true;
    await Promise.all(this.loops);
    return this.outcomes;
  }

  /** Runs for `ms`, then stops. */
  async runFor(ms: number): Promise<Outcome[]> {
    this.start();
    await new Promise((r) => setTimeout(r, ms));
    return this.stop();
  }

  private async loop(offset: number): Promise<void> {
    const { routes } = this.opts;
    let i = offset;
    while (!this.stopped) {
      const route = routes[i++ % routes.length];
      const outcome = await this.send(route, this.counter++);
      this.outcomes.push(outcome);
      // A refused connection fails at once; do not spin on it.
      if (outcome.status === 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async send(route: LoadRoute, n: number): Promise<Outcome> {
    const req = route.request(n);
    const start = Date.now();
    try {
      const res = await fetch(`${this.opts.base}${req.path}`, {
        method: req.method ?? (req.body === undefined ? 'GET' : 'POST'),
        headers: { ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10000),
      });
      const body = await res.text();
      const keep = this.opts.keepErrorBodies !== false && res.status >= 300;
      return {
        route: route.name,
        status: res.status,
        start,
        end: Date.now(),
        contentType: res.headers.get('content-type') ?? undefined,
        requestId: res.headers.get('x-request-id') ?? undefined,
        body: keep ? body.slice(0, 2000) : undefined,
        n,
      };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const error = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.message);
      return { route: route.name, status: 0, start, end: Date.now(), error, n };
    }
  }
}

/** Status counts, e.g. `{200: 5120, 503: 31}`; 0 = no response. */
export function statusCounts(outcomes: Outcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One line per route: count, statuses, p50/p99 latency. */
export function summarize(outcomes: Outcome[]): string {
  const byRoute = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const list = byRoute.get(o.route) ?? [];
    list.push(o);
    byRoute.set(o.route, list);
  }
  const lines: string[] = [];
  for (const [route, list] of byRoute) {
    const lat = list.map((o) => o.end - o.start).sort((a, b) => a - b);
    lines.push(
      `${route.padEnd(22)} n=${String(list.length).padStart(6)}  p50=${percentile(lat, 50)}ms p99=${percentile(lat, 99)}ms  ${JSON.stringify(statusCounts(list))}`,
    );
  }
  return lines.join('\n');
}
