import { getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { appConfig, AppConfig, redisConfig, RedisConfig } from '../../config/namespaces';
import { BullJobBroker } from './bull-job-broker';
import { JOB_BROKER, JobBroker } from './job-broker';
import { JobWorkers } from './job-workers';
import { MemoryJobBroker } from './memory-queue';

class QueueRegistration {}

/**
 * Feature modules register queues with QueueModule.registerQueue(name), inject them with
 * @InjectQueue(name) typed as JobQueue, and create consumers with JobWorkers: the same code on
 * BullMQ and in memory. Job processors are listed with workerProviders() so that an
 * `APP_ROLE=api` process enqueues but never consumes.
 */
@Global()
@Module({
  providers: [
    {
      provide: JOB_BROKER,
      inject: [appConfig.KEY, redisConfig.KEY],
      useFactory: (app: AppConfig, redis: RedisConfig): JobBroker =>
        app.mode.redis === 'redis' ? new BullJobBroker(redis) : new MemoryJobBroker(),
    },
    JobWorkers,
  ],
  exports: [JOB_BROKER, JobWorkers],
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
