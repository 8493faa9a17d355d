import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { REDIS_CLIENT } from '../../../common/redis/redis.module';
import { defaultsConfig, DefaultsConfig } from '../../../config/namespaces';
import { DEFAULTS_REDIS_DEGRADED_TOTAL } from '../defaults.metrics';
import { DefaultsRepository } from '../defaults.repository';

const HASH = 'defaults:usage';

/**
 * Usage counts without a Postgres write per read: each resolve does HINCRBY on a Redis hash
 * (shared by all instances); every DEFAULTS_USAGE_FLUSH_SECONDS one instance atomically
 * RENAMEs the hash away and adds it to Postgres in one UPDATE. While Redis is down counts are
 * kept in process memory and written directly. A crash loses at most one interval of counts.
 */
@Injectable()
export class UsageCounter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('DefaultsUsage');
  private readonly local = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
    private readonly repo: DefaultsRepository,
    @InjectMetric(DEFAULTS_REDIS_DEGRADED_TOTAL) private readonly degraded: Counter<string>,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.cfg.usageFlushSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Fire-and-forget: a read never waits for, or fails because of, counting. */
  record(rowId: string): void {
    this.redis.hincrby(HASH, rowId, 1).catch(() => {
      this.degraded.inc({ op: 'usage' });
      this.local.set(rowId, (this.local.get(rowId) ?? 0) + 1);
    });
  }

  /** Writes the counts collected so far to Postgres (also callable from tests). */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const counts = new Map(this.local);
    this.local.clear();
    const staging = `${HASH}:flush:${randomUUID()}`;
    let staged = false;
    try {
      await this.redis.rename(HASH, staging);
      staged = true;
      const all = await this.redis.hgetall(staging);
      for (const [id, n] of Object.entries(all)) counts.set(id, (counts.get(id) ?? 0) + Number(n));
    } catch (err) {
      // "no such key" just means nothing was counted since the last flush.
      if (!/no such key/i.test((err as Error).message))
        this.logger.debug(`usage flush skipped Redis: ${(err as Error).message}`);
    }
    try {
      await this.repo.addUsage(counts);
      if (staged) await this.redis.del(staging).catch(() => undefined);
    } catch (err) {
      // Keep the counts for the next attempt rather than dropping them.
      for (const [id, n] of counts) this.local.set(id, (this.local.get(id) ?? 0) + n);
      if (staged) await this.redis.del(staging).catch(() => undefined);
      this.logger.warn(`usage flush to Postgres failed, retrying next interval: ${(err as Error).message}`);
    }
  }
}
