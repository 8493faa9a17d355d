import { JobProcessor, JobQueue, JobWorker, WorkerOptions } from './job-queue';

/**
 * Where queues and their consumers live: BullMQ on Redis (bull-job-broker.ts) or process memory
 * (memory-queue.ts). One provider per process, chosen from the runtime mode at module init.
 */
export interface JobBroker {
  queue<T>(name: string): JobQueue<T>;
  worker<T>(name: string, processor: JobProcessor<T> | null, opts: WorkerOptions): JobWorker<T>;
}

export const JOB_BROKER = Symbol('JOB_BROKER');
