import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { redisConfig, RedisConfig } from '../../config/namespaces';
import { redisConnectionOptions } from './redis-connection';

/**
 * BullMQ on the same Redis as everything else, under the deployment's key prefix. Feature
 * modules call BullModule.registerQueue(...) and list their processors with workerProviders()
 * so that an `APP_ROLE=api` process enqueues but never consumes.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [redisConfig.KEY],
      useFactory: (cfg: RedisConfig) => ({
        connection: redisConnectionOptions(cfg.url),
        prefix: `${cfg.keyPrefix}bull`,
      }),
    }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
