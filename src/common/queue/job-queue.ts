/**
 * The queue interface the feature modules use. BullMQ's Queue/Worker/Job satisfy it (Redis
 * mode, any number of processes); memory-queue.ts implements it in process memory (embedded
 * mode, one process). Only what nexcore calls is here, so both stay honest about it.
 */
export interface JobOptions {
  /** A job whose id already exists is not added again (deduplication). */
  jobId?: string;
  attempts?: number;
  backoff?: { type: 'exponential' | 'fixed'; delay: number };
  /** Milliseconds before the job may run. */
  delay?: number;
  removeOnComplete?: boolean | number | { count: number };
  removeOnFail?: boolean | number | { count: number };
}

export interface QueuedJob<T = unknown> {
  readonly id?: string;
  readonly name: string;
  readonly data: T;
  /** Attempts finished so far, including a failed one being reported. */
  readonly attemptsMade: number;
  readonly opts: Pick<JobOptions, 'attempts'>;
  moveToCompleted(result: unknown, token: string, fetchNext?: boolean): Promise<unknown>;
  moveToFailed(err: Error, token: string, fetchNext?: boolean): Promise<unknown>;
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'prioritized' | 'unknown';

export interface JobQueue<T = unknown> {
  add(name: string, data: T, opts?: JobOptions): Promise<{ id?: string }>;
  addBulk(jobs: { name: string; data: T; opts?: JobOptions }[]): Promise<unknown[]>;
  /** Removes a waiting or delayed job; an active one stays (it sees its cancellation itself). */
  remove(jobId: string): Promise<number>;
  getWaitingCount(): Promise<number>;
  getJobState(jobId: string): Promise<string>;
  getJobCounts(...types: Exclude<JobState, 'unknown'>[]): Promise<Record<string, number>>;
  /** A repeatable job on a cron pattern; idempotent per id. */
  upsertJobScheduler(
    id: string,
    repeat: { pattern: string; tz?: string },
    template?: { name?: string; data?: T },
  ): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface WorkerOptions {
  concurrency?: number;
  /** Redis mode only: how long a job's lock lasts / how often stalled jobs are looked for. */
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  /** false: the worker only hands out jobs through getNextJob(). */
  autorun?: boolean;
}

export type JobProcessor<T> = (job: QueuedJob<T>) => Promise<unknown>;

/**
 * Thrown by a processor that cannot run its job now (e.g. a per-user limit is reached): the job
 * goes back to the queue for `delayMs` without using an attempt, and the slot serves another job.
 */
export class DeferJobError extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(`job deferred: ${reason}`);
    this.name = 'DeferJobError';
  }
}

export interface JobWorker<T = unknown> {
  on(event: 'failed', listener: (job: QueuedJob<T> | undefined, err: Error) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  waitUntilReady(): Promise<unknown>;
  /** Stops taking new jobs; doNotWaitActive: return without waiting for the jobs in flight. */
  pause(doNotWaitActive?: boolean): Promise<void>;
  /** force: do not wait for the jobs in flight. */
  close(force?: boolean): Promise<void>;
  disconnect(): Promise<void>;
  getNextJob(token: string, opts?: { block?: boolean }): Promise<QueuedJob<T> | undefined>;
}
