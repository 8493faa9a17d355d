import { getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { JOB_BROKER, JobBroker } from './job-broker';
import { JobWorkers } from './job-workers';

class QueueRegistration {}

/**
 * Feature modules register queues with QueueModule.registerQueue(name), inject them with
 * @InjectQueue(name) typed as JobQueue, and create consumers with JobWorkers: the same code on
 * BullMQ and in memory (the broker comes from RedisModule). Job processors are listed with
 * workerProviders() so that an `APP_ROLE=api` process enqueues but never consumes.
 */
@Global()
@Module({
  providers: [JobWorkers],
  exports: [JobWorkers],
})
export class QueueModule {
  static registerQueue(name: string): DynamicModule {
    const token = getQueueToken(name);
    return {
      module: QueueRegistration,
      providers: [{ provide: token, inject: [JOB_BROKER], useFactory: (broker: JobBroker) => broker.queue(name) }],
      exports: [token],
    };
  }
}
