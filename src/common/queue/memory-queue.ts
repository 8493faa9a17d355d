import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CronExpressionParser } from 'cron-parser';
import { EventEmitter } from 'node:events';
import { JobBroker } from './job-broker';
import {
  DeferJobError,
  JobOptions,
  JobProcessor,
  JobQueue,
  JobState,
  JobWorker,
  QueuedJob,
  WorkerOptions,
} from './job-queue';

/** Finished jobs kept for state queries when a job does not say (bounds memory). */
const DEFAULT_KEEP = 1000;
/** setTimeout's limit; a later cron run is re-planned when this expires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

class MemoryJob<T> implements QueuedJob<T> {
  state: JobState = 'waiting';
  attemptsMade = 0;
  returnvalue?: unknown;
  failedReason?: string;
  timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: MemoryQueue<T>,
    readonly id: string,
    readonly name: string,
    readonly data: T,
    readonly opts: JobOptions,
  ) {}

  async getState(): Promise<JobState> {
    return this.state;
  }

  async moveToCompleted(result: unknown): Promise<void> {
    this.queue.complete(this, result);
  }

  async moveToFailed(err: Error): Promise<void> {
    this.queue.fail(this, err);
  }
}

function keepCount(keep: JobOptions['removeOnComplete']): number {
  if (keep === true) return 0;
  if (typeof keep === 'number') return keep;
  if (keep && typeof keep === 'object') return keep.count;
  return DEFAULT_KEEP;
}

/**
 * One queue in process memory with BullMQ's semantics for what nexcore uses: job-id
 * deduplication, delays, attempts with fixed/exponential backoff, removal of waiting jobs,
 * state and counts, cron schedulers. Jobs do not survive a restart (see docs/embedded.md).
 */
export class MemoryQueue<T = unknown> extends EventEmitter implements JobQueue<T> {
  private readonly jobs = new Map<string, MemoryJob<T>>();
  private readonly waiting: MemoryJob<T>[] = [];
  private readonly finished: MemoryJob<T>[] = [];
  private readonly workers = new Set<MemoryWorker<T>>();
  private readonly schedulers = new Map<
    string,
    { key: string; pattern: string; tz?: string; next: number; timer?: NodeJS.Timeout }
  >();
  private seq = 0;
  private closed = false;

  constructor(readonly name: string) {
    super();
  }

  async add(name: string, data: T, opts: JobOptions = {}): Promise<MemoryJob<T>> {
    return this.enqueue(name, data, opts);
  }

  async addBulk(jobs: { name: string; data: T; opts?: JobOptions }[]): Promise<MemoryJob<T>[]> {
    return jobs.map((j) => this.enqueue(j.name, j.data, j.opts ?? {}));
  }

  async remove(jobId: string): Promise<number> {
    const job = this.jobs.get(jobId);
    if (!job || job.state === 'active') return 0;
    clearTimeout(job.timer);
    this.jobs.delete(jobId);
    const i = this.waiting.indexOf(job);
    if (i >= 0) this.waiting.splice(i, 1);
    return 1;
  }

  async getJob(jobId: string): Promise<MemoryJob<T> | undefined> {
    return this.jobs.get(jobId);
  }

  async getWaitingCount(): Promise<number> {
    return this.waiting.length;
  }

  async getJobState(jobId: string): Promise<JobState> {
    return this.jobs.get(jobId)?.state ?? 'unknown';
  }

  async getJobCounts(...types: Exclude<JobState, 'unknown'>[]): Promise<Record<string, number>> {
    const counts = Object.fromEntries(types.map((t) => [t, 0]));
    for (const job of this.jobs.values()) if (job.state in counts) counts[job.state]++;
    return counts;
  }

  async upsertJobScheduler(
    id: string,
    repeat: { pattern: string; tz?: string },
    template: { name?: string; data?: T } = {},
  ): Promise<void> {
    clearTimeout(this.schedulers.get(id)?.timer);
    const entry = {
      key: id,
      pattern: repeat.pattern,
      tz: repeat.tz,
      next: 0,
      timer: undefined as NodeJS.Timeout | undefined,
    };
    this.schedulers.set(id, entry);
    const plan = () => {
      if (this.closed || this.schedulers.get(id) !== entry) return;
      entry.next = CronExpressionParser.parse(repeat.pattern, { tz: repeat.tz, currentDate: new Date() })
        .next()
        .getTime();
      const wait = entry.next - Date.now();
      entry.timer = setTimeout(
        () => {
          if (wait > MAX_TIMER_MS) return plan();
          this.enqueue(template.name ?? id, template.data ?? ({} as T), { jobId: `repeat:${id}:${entry.next}` });
          plan();
        },
        Math.min(Math.max(0, wait), MAX_TIMER_MS),
      ).unref();
    };
    plan();
  }

  async getJobSchedulers(): Promise<{ key: string; pattern: string; tz?: string; next: number }[]> {
    return [...this.schedulers.values()].map(({ key, pattern, tz, next }) => ({ key, pattern, tz, next }));
  }

  // ---- used by MemoryWorker and MemoryJob ----

  attach(worker: MemoryWorker<T>): void {
    this.workers.add(worker);
    this.dispatch();
  }

  detach(worker: MemoryWorker<T>): void {
    this.workers.delete(worker);
  }

  take(): MemoryJob<T> | undefined {
    const job = this.waiting.shift();
    if (job) job.state = 'active';
    return job;
  }

  complete(job: MemoryJob<T>, result: unknown): void {
    job.state = 'completed';
    job.returnvalue = result;
    this.retire(job, keepCount(job.opts.removeOnComplete));
  }

  /** Another attempt after the backoff while attempts remain, else failed for good. */
  fail(job: MemoryJob<T>, err: Error): void {
    job.attemptsMade++;
    job.failedReason = err.message;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) {
      const b = job.opts.backoff;
      const delay = !b ? 0 : b.type === 'fixed' ? b.delay : b.delay * 2 ** (job.attemptsMade - 1);
      this.schedule(job, delay);
      return;
    }
    job.state = 'failed';
    this.retire(job, keepCount(job.opts.removeOnFail));
  }

  /** Back to the queue after `delayMs`, the attempt not counted (see DeferJobError). */
  defer(job: MemoryJob<T>, delayMs: number): void {
    this.schedule(job, delayMs);
  }

  close(): void {
    this.closed = true;
    for (const s of this.schedulers.values()) clearTimeout(s.timer);
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    this.workers.clear();
  }

  private enqueue(name: string, data: T, opts: JobOptions): MemoryJob<T> {
    const id = opts.jobId ?? String(++this.seq);
    const existing = this.jobs.get(id);
    if (existing) return existing;
    const job = new MemoryJob(this, id, name, data, opts);
    this.jobs.set(id, job);
    this.schedule(job, opts.delay ?? 0);
    return job;
  }

  private schedule(job: MemoryJob<T>, delay: number): void {
    if (this.closed) return;
    if (delay <= 0) {
      job.state = 'waiting';
      this.waiting.push(job);
      this.dispatch();
      return;
    }
    job.state = 'delayed';
    job.timer = setTimeout(
      () => {
        job.timer = undefined;
        if (this.jobs.get(job.id) === job) this.schedule(job, 0);
      },
      Math.min(delay, MAX_TIMER_MS),
    ).unref();
  }

  /** Asynchronous, like BullMQ: add() returns before a worker picks the job up. */
  private dispatch(): void {
    setImmediate(() => {
      for (const w of this.workers) w.pump();
    });
  }

  private retire(job: MemoryJob<T>, keep: number): void {
    this.finished.push(job);
    const same = this.finished.filter((j) => j.state === job.state);
    for (const old of same.slice(0, Math.max(0, same.length - keep))) {
      this.finished.splice(this.finished.indexOf(old), 1);
      if (this.jobs.get(old.id) === old) this.jobs.delete(old.id);
    }
  }
}

/** Runs a MemoryQueue's jobs in this process, `concurrency` at a time, with BullMQ's events. */
export class MemoryWorker<T = unknown> extends EventEmitter implements JobWorker<T> {
  concurrency: number;
  private readonly active = new Set<Promise<void>>();
  private closing = false;
  private paused = false;

  constructor(
    private readonly queue: MemoryQueue<T>,
    private readonly processor: JobProcessor<T> | null,
    opts: WorkerOptions = {},
  ) {
    super();
    this.concurrency = opts.concurrency ?? 1;
    if (processor && opts.autorun !== false) queue.attach(this);
  }

  pump(): void {
    while (!this.closing && !this.paused && this.processor && this.active.size < this.concurrency) {
      const job = this.queue.take();
      if (!job) return;
      this.run(job, this.processor);
    }
  }

  async getNextJob(): Promise<QueuedJob<T> | undefined> {
    return this.closing || this.paused ? undefined : this.queue.take();
  }

  async waitUntilReady(): Promise<void> {}

  async pause(doNotWaitActive = false): Promise<void> {
    this.paused = true;
    if (!doNotWaitActive) await Promise.allSettled([...this.active]);
  }

  async close(force = false): Promise<void> {
    this.closing = true;
    this.queue.detach(this);
    if (!force) await Promise.allSettled([...this.active]);
  }

  async disconnect(): Promise<void> {}

  private run(job: MemoryJob<T>, processor: JobProcessor<T>): void {
    const p = (async () => {
      try {
        const result = await processor(job);
        this.queue.complete(job, result);
        this.emit('completed', job, result);
      } catch (err) {
        if (err instanceof DeferJobError) return this.queue.defer(job, err.delayMs);
        this.queue.fail(job, err as Error);
        this.emit('failed', job, err as Error);
      }
    })().finally(() => {
      this.active.delete(p);
      this.pump();
    });
    this.active.add(p);
  }
}

/** The embedded mode's queues, one per name, closed (timers cleared) at shutdown. */
@Injectable()
export class MemoryJobBroker implements JobBroker, OnApplicationShutdown {
  private readonly queues = new Map<string, MemoryQueue>();

  queue<T>(name: string): MemoryQueue<T> {
    let q = this.queues.get(name);
    if (!q) this.queues.set(name, (q = new MemoryQueue(name)));
    return q as MemoryQueue<T>;
  }

  worker<T>(name: string, processor: JobProcessor<T> | null, opts: WorkerOptions): MemoryWorker<T> {
    return new MemoryWorker(this.queue<T>(name), processor, opts);
  }

  onApplicationShutdown(): void {
    for (const q of this.queues.values()) q.close();
  }
}
