import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { askConfig, AskConfig } from '../../../config/namespaces';
import { problemBody } from '../../../common/errors/error-code';
import { AskUsageRepository, AskUsageRow } from './ask-usage.repository';

export interface UsageDay {
  day: string;
  questions: number;
  tokens: number;
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/** Today's row of a newest-first history, or zeros when nothing was asked today. */
export const todayOf = (days: UsageDay[]): UsageDay =>
  days[0]?.day === utcToday() ? days[0] : { day: utcToday(), questions: 0, tokens: 0 };

const toDay = (r: AskUsageRow): UsageDay => ({ day: r.day, questions: Number(r.questions), tokens: Number(r.tokens) });

/**
 * Per-user usage per UTC day in Postgres (`ask_usage`), so counts survive Redis outages and
 * restarts, appear in the user's data export and go with the account. The optional daily quota
 * (ASK_DAILY_QUOTA) is checked and counted in one conditional upsert: concurrent questions can
 * never both take the last unit, and a refused question counts nothing.
 */
@Injectable()
export class AskUsageService {
  constructor(
    private readonly usage: AskUsageRepository,
    @Inject(askConfig.KEY) private readonly cfg: AskConfig,
  ) {}

  /** The user's usage rows, inside the account erasure transaction. */
  deleteForUser(userId: string, m: EntityManager): Promise<void> {
    return this.usage.deleteForUser(userId, m);
  }

  /** Counts the question; 429 when it is over the daily quota. */
  async consume(userId: string): Promise<void> {
    const quota = this.cfg.dailyQuota;
    if (!(await this.usage.countQuestion(userId, quota))) {
      throw new HttpException(
        problemBody({ message: `Daily question quota of ${quota} reached`, code: 'ask-quota-exceeded' }),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async addTokens(userId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    await this.usage.addTokens(userId, tokens);
  }

  /** The last `days` UTC days with any usage, newest first. */
  async history(userId: string, days: number): Promise<UsageDay[]> {
    return (await this.usage.history(userId, days)).map(toDay);
  }

  async today(userId: string): Promise<UsageDay> {
    return todayOf(await this.history(userId, 1));
  }

  get dailyQuota(): number {
    return this.cfg.dailyQuota;
  }
}
