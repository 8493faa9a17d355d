import { EventEmitter } from 'node:events';

interface Entry {
  value: string | Map<string, string>;
  /** Epoch ms, or undefined for no expiry. */
  expiresAt?: number;
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const SWEEP_MS = 60_000;

/**
 * The Redis commands nexcore issues through REDIS_CLIENT (login limiter, ask usage, defaults
 * generations and usage counts, health), kept in process memory for the embedded mode. Same
 * replies as Redis for these commands — test/embedded/memory-redis.e2e-spec.ts runs one script
 * against both and compares — so the services using it need no second code path.
 * Nothing is shared between processes and nothing survives a restart.
 */
export class MemoryRedis extends EventEmitter {
  status: 'ready' | 'end' = 'ready';
  private readonly data = new Map<string, Entry>();
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_MS).unref();

  // ---- the commands, synchronous; the public API below wraps them in promises ----
  private readonly commands = {
    get: (key: string): string | null => {
      const e = this.entry(key);
      if (e && typeof e.value !== 'string') throw new Error(WRONGTYPE);
      return e ? (e.value as string) : null;
    },
    del: (...keys: string[]): number => keys.filter((k) => this.entry(k) && this.data.delete(k)).length,
    incr: (key: string): number => this.add(key, 1),
    decr: (key: string): number => this.add(key, -1),
    pexpire: (key: string, ms: number, mode?: 'NX'): number => {
      const e = this.entry(key);
      if (!e || (mode === 'NX' && e.expiresAt !== undefined)) return 0;
      e.expiresAt = Date.now() + Number(ms);
      return 1;
    },
    expire: (key: string, seconds: number): number => this.commands.pexpire(key, Number(seconds) * 1000),
    pttl: (key: string): number => {
      const e = this.entry(key);
      if (!e) return -2;
      return e.expiresAt === undefined ? -1 : Math.max(0, e.expiresAt - Date.now());
    },
    hincrby: (key: string, field: string, by: number): number => {
      const hash = this.hash(key, true)!;
      const n = Number(hash.get(field) ?? 0) + Number(by);
      hash.set(field, String(n));
      return n;
    },
    hgetall: (key: string): Record<string, string> => Object.fromEntries(this.hash(key, false) ?? []),
    rename: (from: string, to: string): 'OK' => {
      const e = this.entry(from);
      if (!e) throw new Error('ERR no such key');
      this.data.delete(from);
      this.data.set(to, e);
      return 'OK';
    },
    ping: (): 'PONG' => 'PONG',
  };

  get = this.wrap('get');
  del = this.wrap('del');
  incr = this.wrap('incr');
  decr = this.wrap('decr');
  pexpire = this.wrap('pexpire');
  expire = this.wrap('expire');
  pttl = this.wrap('pttl');
  hincrby = this.wrap('hincrby');
  hgetall = this.wrap('hgetall');
  rename = this.wrap('rename');
  ping = this.wrap('ping');

  /** MULTI and pipelines: commands queued, run together on exec, replies as [error, result] pairs. */
  multi(): MemoryPipeline {
    return new MemoryPipeline(this.commands, () => this.assertOpen());
  }

  pipeline(): MemoryPipeline {
    return this.multi();
  }

  async quit(): Promise<'OK'> {
    this.disconnect();
    return 'OK';
  }

  disconnect(): void {
    clearInterval(this.sweeper);
    this.status = 'end';
    this.emit('end');
  }

  private wrap<K extends keyof MemoryRedis['commands']>(name: K) {
    const fn = this.commands[name] as (...args: unknown[]) => unknown;
    return (...args: Parameters<MemoryRedis['commands'][K]>): Promise<ReturnType<MemoryRedis['commands'][K]>> => {
      try {
        this.assertOpen();
        return Promise.resolve(fn(...args) as ReturnType<MemoryRedis['commands'][K]>);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
  }

  private assertOpen(): void {
    if (this.status === 'end') throw new Error('Connection is closed.');
  }

  private entry(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  /** INCR / DECR: integer strings only, the TTL is kept. */
  private add(key: string, by: number): number {
    const e = this.entry(key);
    if (e && typeof e.value !== 'string') throw new Error(WRONGTYPE);
    const n = Number(e?.value ?? 0);
    if (!Number.isInteger(n)) throw new Error('ERR value is not an integer or out of range');
    this.data.set(key, { value: String(n + by), expiresAt: e?.expiresAt });
    return n + by;
  }

  private hash(key: string, create: boolean): Map<string, string> | undefined {
    const e = this.entry(key);
    if (e && typeof e.value === 'string') throw new Error(WRONGTYPE);
    if (e) return e.value as Map<string, string>;
    if (!create) return undefined;
    const value = new Map<string, string>();
    this.data.set(key, { value });
    return value;
  }

  private sweep(): void {
    for (const key of this.data.keys()) this.entry(key);
  }
}

type Commands = MemoryRedis['commands'];
type Reply = [Error | null, unknown];

export class MemoryPipeline {
  private readonly queued: (() => unknown)[] = [];

  constructor(
    private readonly commands: Commands,
    private readonly assertOpen: () => void,
  ) {}

  get = this.queue('get');
  del = this.queue('del');
  incr = this.queue('incr');
  decr = this.queue('decr');
  pexpire = this.queue('pexpire');
  expire = this.queue('expire');
  pttl = this.queue('pttl');
  hincrby = this.queue('hincrby');
  hgetall = this.queue('hgetall');
  rename = this.queue('rename');

  async exec(): Promise<Reply[]> {
    this.assertOpen();
    return this.queued.map((run): Reply => {
      try {
        return [null, run()];
      } catch (err) {
        return [err as Error, null];
      }
    });
  }

  private queue<K extends keyof Commands>(name: K) {
    return (...args: Parameters<Commands[K]>): this => {
      this.queued.push(() => (this.commands[name] as (...a: unknown[]) => unknown)(...args));
      return this;
    };
  }
}
