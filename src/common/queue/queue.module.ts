import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { loadEnv } from '../../config/env';
import { redisConfig, RedisConfig } from '../../config/namespaces';
import { JobWorkers } from './job-workers';
import { MemoryJobBroker } from './memory-queue';
import { redisConnectionOptions } from './redis-connection';

/**
 * Queues are BullMQ on Redis, or in process memory when REDIS_URL is empty (embedded mode).
 * Decided when the module graph is declared (like workerProviders), from the validated env.
 */
function onRedis(): boolean {
  return Boolean(loadEnv().REDIS_URL);
}

class MemoryQueueRegistration {}

/**
 * Feature modules register queues with QueueModule.registerQueue(name), inject them with
 * @InjectQueue(name) typed as JobQueue, and create consumers with JobWorkers — the same code
 * in both modes. Processors are listed with workerProviders() so that an `APP_ROLE=api`
 * process enqueues but never consumes.
 */
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const redis = onRedis();
    return {
      module: QueueModule,
      global: true,
      imports: redis
        ? [
            BullModule.forRootAsync({
              inject: [redisConfig.KEY],
              useFactory: (cfg: RedisConfig) => ({
                connection: redisConnectionOptions(cfg.url),
                prefix: `${cfg.keyPrefix}bull`,
              }),
            }),
          ]
        : [],
      providers: [JobWorkers, ...(redis ? [] : [MemoryJobBroker])],
      exports: [JobWorkers, ...(redis ? [BullModule] : [MemoryJobBroker])],
    };
  }

  static registerQueue(name: string): DynamicModule {
    if (onRedis()) return BullModule.registerQueue({ name });
    const token = getQueueToken(name);
    return {
      module: MemoryQueueRegistration,
      providers: [{ provide: token, inject: [MemoryJobBroker], useFactory: (broker: MemoryJobBroker) => broker.queue(name) }],
      exports: [token],
    };
  }
}
