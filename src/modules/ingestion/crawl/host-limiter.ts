/**
 * Per-host politeness for one worker process: at most `concurrency` requests in flight to a
 * host, and request starts at least `delayMs` apart (robots Crawl-delay may raise it per host).
 */
export class HostLimiter {
  private readonly hosts = new Map<
    string,
    { active: number; nextStart: number; waiters: (() => void)[]; delayMs: number }
  >();

  constructor(
    private readonly concurrency: number,
    private readonly delayMs: number,
  ) {}

  setDelay(host: string, delayMs: number): void {
    this.state(host).delayMs = Math.max(this.delayMs, delayMs);
  }

  async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const s = this.state(host);
    while (s.active >= this.concurrency) await new Promise<void>((r) => s.waiters.push(r));
    s.active++;
    try {
      const wait = s.nextStart - Date.now();
      s.nextStart = Math.max(Date.now(), s.nextStart) + s.delayMs;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return await fn();
    } finally {
      s.active--;
      s.waiters.shift()?.();
      if (s.active === 0 && s.waiters.length === 0 && s.nextStart < Date.now()) this.hosts.delete(host);
    }
  }

  private state(host: string) {
    let s = this.hosts.get(host);
    if (!s) this.hosts.set(host, (s = { active: 0, nextStart: 0, waiters: [], delayMs: this.delayMs }));
    return s;
  }
}
