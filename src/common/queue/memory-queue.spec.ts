import type { Queue, Worker } from 'bullmq';
import { DeferJobError, JobQueue, JobWorker, QueuedJob } from './job-queue';
import { MemoryJobBroker, MemoryQueue, MemoryWorker } from './memory-queue';

// Compile-time: BullMQ's classes satisfy the interface the feature modules are written against.
export const bullQueueFits = (q: Queue<{ n: number }>): JobQueue<{ n: number }> => q;
export const bullWorkerFits = (w: Worker<{ n: number }>): JobWorker<{ n: number }> => w;

const tick = () => new Promise((r) => setTimeout(r, 5));
async function until(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await tick();
  }
}

describe('MemoryQueue + MemoryWorker (embedded-mode jobs)', () => {
  let broker: MemoryJobBroker;
  beforeEach(() => (broker = new MemoryJobBroker()));
  afterEach(() => broker.onApplicationShutdown());

  it('puts a deferred job back after its delay without using an attempt, and runs the next job meanwhile', async () => {
    const q = broker.queue<{ n: number }>('d');
    const order: string[] = [];
    const failed: unknown[] = [];
    let deferred = false;
    const w = broker.worker<{ n: number }>(
      'd',
      async (job) => {
        if (job.data.n === 1 && !deferred) {
          deferred = true;
          order.push('1 deferred');
          throw new DeferJobError(30, 'busy');
        }
        order.push(`${job.data.n} ran (attempts made ${job.attemptsMade})`);
      },
      { concurrency: 1 },
    );
    w.on('failed', (_job, err) => failed.push(err));
    await q.add('x', { n: 1 }, { attempts: 1 });
    await q.add('x', { n: 2 });
    await until(() => order.length === 3);
    expect(order).toEqual(['1 deferred', '2 ran (attempts made 0)', '1 ran (attempts made 0)']);
    expect(failed).toEqual([]);
  });

  it('runs added jobs with the processor, at most `concurrency` at a time, and ignores a duplicate job id', async () => {
    const q = broker.queue<{ n: number }>('q');
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    broker.worker<{ n: number }>(
      'q',
      async (job) => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        seen.push(job.data.n);
        running--;
        return job.data.n * 2;
      },
      { concurrency: 2 },
    );
    for (let n = 0; n < 6; n++) await q.add('x', { n }, { jobId: `j${n}` });
    await q.add('x', { n: 99 }, { jobId: 'j0' });
    await until(() => seen.length === 6);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(await q.getJobState('j3')).toBe('completed');
    expect((await q.getJob('j3'))?.returnvalue).toBe(6);
    expect(await q.getJobState('nope')).toBe('unknown');
  });

  it('retries a failing job with exponential backoff, emitting failed per attempt, then fails it for good', async () => {
    const q = broker.queue<{ n: number }>('r');
    const started: number[] = [];
    const failed: number[] = [];
    const w = broker.worker<{ n: number }>(
      'r',
      async () => {
        started.push(Date.now());
        throw new Error('boom');
      },
      {},
    );
    w.on('failed', (job: QueuedJob<{ n: number }> | undefined) => failed.push(job!.attemptsMade));
    await q.add('x', { n: 1 }, { jobId: 'a', attempts: 3, backoff: { type: 'exponential', delay: 40 } });
    await until(() => failed.length === 3);
    expect(failed).toEqual([1, 2, 3]);
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(35);
    expect(started[2] - started[1]).toBeGreaterThanOrEqual(75);
    expect(await q.getJobState('a')).toBe('failed');
  });

  it('holds delayed jobs until due, counts states and removes waiting or delayed jobs but not active ones', async () => {
    const q = new MemoryQueue<{ n: number }>('d');
    await q.add('x', { n: 1 }, { jobId: 'late', delay: 60_000 });
    await q.add('x', { n: 2 }, { jobId: 'now' });
    expect(await q.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 1, delayed: 1, active: 0 });
    expect(await q.getWaitingCount()).toBe(1);
    const w = new MemoryWorker(q, null, { autorun: false });
    const job = await w.getNextJob();
    expect(job?.id).toBe('now');
    expect(await q.remove('now')).toBe(0);
    await job!.moveToCompleted('ok', 'token');
    expect(await q.getJobState('now')).toBe('completed');
    expect(await q.remove('late')).toBe(1);
    expect(await q.getJobState('late')).toBe('unknown');
    q.close();
  });

  it('runs a delayed job once its delay has passed', async () => {
    const q = broker.queue<{ n: number }>('dl');
    const done: number[] = [];
    broker.worker<{ n: number }>('dl', async (job) => void done.push(job.data.n), {});
    const t0 = Date.now();
    await q.add('x', { n: 7 }, { delay: 50 });
    await until(() => done.length === 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it('keeps only the last N finished jobs when told (removeOnComplete)', async () => {
    const q = broker.queue<{ n: number }>('k');
    broker.worker<{ n: number }>('k', async () => undefined, {});
    for (let n = 0; n < 5; n++) await q.add('x', { n }, { jobId: `k${n}`, removeOnComplete: { count: 2 } });
    await until(async () => (await q.getJobState('k4')) === 'completed');
    expect(await q.getJobCounts('completed')).toEqual({ completed: 2 });
    expect(await q.getJobState('k0')).toBe('unknown');
  });

  it('enqueues a job when a cron scheduler fires, and re-plans it (idempotent per id)', async () => {
    const q = broker.queue<Record<string, never>>('cron');
    const ran: string[] = [];
    broker.worker<Record<string, never>>('cron', async (job) => void ran.push(job.name), {});
    await q.upsertJobScheduler('every-second', { pattern: '* * * * * *', tz: 'UTC' }, { name: 'tick' });
    await q.upsertJobScheduler('every-second', { pattern: '* * * * * *', tz: 'UTC' }, { name: 'tick' });
    expect(await q.getJobSchedulers()).toEqual([
      expect.objectContaining({ key: 'every-second', pattern: '* * * * * *', tz: 'UTC' }),
    ]);
    await until(() => ran.length >= 2, 4000);
    expect(ran.every((n) => n === 'tick')).toBe(true);
  });

  it('stops handing out jobs once closed, and a graceful close waits for the jobs in flight', async () => {
    const q = broker.queue<{ n: number }>('c');
    let finished = false;
    const w = broker.worker<{ n: number }>(
      'c',
      async () => {
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      },
      {},
    );
    await q.add('x', { n: 1 });
    await until(async () => (await q.getJobCounts('active')).active === 1);
    await w.close();
    expect(finished).toBe(true);
    await q.add('x', { n: 2 }, { jobId: 'after' });
    await tick();
    expect(await q.getJobState('after')).toBe('waiting');
  });
});
