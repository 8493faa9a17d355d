import { settlesWithin } from '../async/deadline';
import type { JobWorker } from './job-queue';

const FORCED_CLOSE_MS = 3000;

export interface StopWorkerOptions {
  /** Work this process started and has not finished (processor runs, manual job runs). */
  inFlight: Iterable<Promise<unknown>>;
  /** How long that work may take to finish before the worker is closed anyway. */
  drainMs: number;
  /**
   * Close gracefully (BullMQ records the ends of the jobs just finished in Redis, e.g. an aborted
   * crawl becomes a retry), within this bound; without it the worker is closed forced, for
   * consumers whose outcome lives in Postgres.
   */
  gracefulCloseMs?: number;
}

/**
 * The one way a job consumer stops (AppShutdown's `workers` stage): pause (no new job is taken),
 * wait for the jobs in flight, bounded, then close. Every step is bounded: BullMQ's graceful
 * close waits on Redis and never returns while it is down, and after a Redis restart even a
 * forced close and disconnect() were seen to stay pending forever.
 */
export async function stopWorker<T>(worker: JobWorker<T>, opts: StopWorkerOptions): Promise<void> {
  await settlesWithin(worker.pause(true), 500);
  await settlesWithin(Promise.allSettled([...opts.inFlight]), opts.drainMs);
  if (opts.gracefulCloseMs) {
    let ready = false;
    await settlesWithin(
      worker.waitUntilReady().then(() => (ready = true)),
      500,
    );
    if (ready && (await settlesWithin(worker.close(false), opts.gracefulCloseMs))) return;
  }
  if (!(await settlesWithin(worker.close(true), FORCED_CLOSE_MS))) await settlesWithin(worker.disconnect(), 1000);
}

/** Tracks promises until they settle (a worker's jobs in flight). */
export class InFlight implements Iterable<Promise<unknown>> {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const forget = () => this.running.delete(p);
    p.then(forget, forget);
    return p;
  }

  [Symbol.iterator](): Iterator<Promise<unknown>> {
    return this.running.values();
  }
}
