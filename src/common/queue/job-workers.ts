import { Inject, Injectable, Optional } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import { redisConfig, RedisConfig } from '../../config/namespaces';
import { DeferJobError, JobProcessor, JobWorker, WorkerOptions } from './job-queue';
import { MemoryJobBroker } from './memory-queue';
import { redisConnectionOptions } from './redis-connection';

/**
 * Creates the consumer of a queue: a BullMQ Worker on Redis, or, in the embedded mode (the
 * broker is provided only then), an in-process worker running the same processor function.
 */
@Injectable()
export class JobWorkers {
  constructor(
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    @Optional() private readonly broker?: MemoryJobBroker,
  ) {}

  create<T>(queue: string, processor: JobProcessor<T> | null, opts: WorkerOptions = {}): JobWorker<T> {
    if (this.broker) return this.broker.worker(queue, processor, opts);
    // A deferred job moves to BullMQ's delayed set; DelayedError tells the worker it was moved.
    const run = processor && (async (job: Job<T>, token?: string) => {
      try {
        return await processor(job);
      } catch (err) {
        if (!(err instanceof DeferJobError) || !token) throw err;
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError();
      }
    });
    const worker: JobWorker<T> = new Worker<T>(queue, run, {
      ...opts,
      connection: redisConnectionOptions(this.redis.url),
      prefix: `${this.redis.keyPrefix}bull`,
    });
    return worker;
  }
}
