import { Inject, Injectable } from '@nestjs/common';
import { JOB_BROKER, JobBroker } from './job-broker';
import { JobProcessor, JobWorker, WorkerOptions } from './job-queue';

/**
 * Creates the consumer of a queue: a BullMQ Worker on Redis, or in the embedded mode an
 * in-process worker running the same processor function.
 */
@Injectable()
export class JobWorkers {
  constructor(@Inject(JOB_BROKER) private readonly broker: JobBroker) {}

  create<T>(queue: string, processor: JobProcessor<T> | null, opts: WorkerOptions = {}): JobWorker<T> {
    return this.broker.worker(queue, processor, opts);
  }
}
