import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { askConfig, AskConfig } from '../../config/namespaces';

/**
 * Per-user usage (questions and tokens per UTC day, kept 400 days) in Redis hashes, and the
 * optional daily question quota (ASK_DAILY_QUOTA) checked and counted in one INCR.
 */
@Injectable()
export class AskUsageService {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(askConfig.KEY) private readonly cfg: AskConfig,
  ) {}

  private key(userId: string): string {
    return `ask:usage:${userId}:${new Date().toISOString().slice(0, 10)}`;
  }

  /** Counts the question; 429 when it is over the daily quota. */
  async consume(userId: string): Promise<void> {
    const key = this.key(userId);
    const n = await this.redis.hincrby(key, 'questions', 1);
    await this.redis.expire(key, 400 * 86400);
    if (this.cfg.dailyQuota > 0 && n > this.cfg.dailyQuota) {
      await this.redis.hincrby(key, 'questions', -1);
      throw new HttpException({ message: `Daily question quota of ${this.cfg.dailyQuota} reached`, code: 'ask-quota-exceeded' }, HttpStatus.TOO_MANY_REQUESTS);
    }
  }

  async addTokens(userId: string, tokens: number): Promise<void> {
    if (tokens > 0) await this.redis.hincrby(this.key(userId), 'tokens', tokens);
  }

  async today(userId: string): Promise<{ questions: number; tokens: number }> {
    const h = await this.redis.hgetall(this.key(userId));
    return { questions: Number(h.questions ?? 0), tokens: Number(h.tokens ?? 0) };
  }
}
