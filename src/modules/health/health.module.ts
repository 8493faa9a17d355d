import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthRepository } from './database-health.repository';
import { EmbeddingsModule } from '../ingestion/embeddings/embeddings.module';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty' }), EmbeddingsModule],
  controllers: [HealthController],
  providers: [DatabaseHealthRepository, DatabaseHealthIndicator, RedisHealthIndicator],
})
export class HealthModule {}
