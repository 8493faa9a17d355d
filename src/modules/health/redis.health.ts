import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { appConfig, AppConfig } from '../../config/namespaces';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly health: HealthIndicatorService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async isHealthy(key = 'redis') {
    const session = this.health.check(key);
    try {
      await this.redis.ping();
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  /** Latency and server version, for the detailed report. */
  async describe(): Promise<{
    status: 'up' | 'down';
    latencyMs: number;
    version?: string;
    error?: string;
    embedded?: string;
  }> {
    const started = performance.now();
    if (this.app.mode.redis === 'in-memory') {
      await this.redis.ping();
      return { status: 'up', latencyMs: round(performance.now() - started), embedded: 'in-memory, this process only' };
    }
    try {
      const info = await this.redis.info('server');
      const version = /redis_version:(\S+)/.exec(info)?.[1];
      return { status: 'up', latencyMs: round(performance.now() - started), version };
    } catch (err) {
      return { status: 'down', latencyMs: round(performance.now() - started), error: (err as Error).message };
    }
  }
}

export const round = (ms: number) => Math.round(ms * 100) / 100;
