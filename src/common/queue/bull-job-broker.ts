import { OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import { RedisConfig } from '../../config/namespaces';
import { JobBroker } from './job-broker';
import { DeferJobError, JobProcessor, JobQueue, JobWorker, WorkerOptions } from './job-queue';
import { redisConnectionOptions } from './redis-connection';

/** BullMQ queues (one per name, closed at shutdown) and workers, shared by every process. */
export class BullJobBroker implements JobBroker, OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly redis: RedisConfig) {}

  queue<T>(name: string): JobQueue<T> {
    let q = this.queues.get(name);
    if (!q) this.queues.set(name, (q = new Queue(name, this.options())));
    return q as unknown as JobQueue<T>;
  }

  worker<T>(name: string, processor: JobProcessor<T> | null, opts: WorkerOptions): JobWorker<T> {
    // A deferred job moves to BullMQ's delayed set; DelayedError tells the worker it was moved.
    const run =
      processor &&
      (async (job: Job<T>, token?: string) => {
        try {
          return await processor(job);
        } catch (err) {
          if (!(err instanceof DeferJobError) || !token) throw err;
          await job.moveToDelayed(Date.now() + err.delayMs, token);
          throw new DelayedError();
        }
      });
    return new Worker<T>(name, run, { ...opts, ...this.options() });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private options() {
    return { connection: redisConnectionOptions(this.redis.url), prefix: `${this.redis.keyPrefix}bull` };
  }
}
