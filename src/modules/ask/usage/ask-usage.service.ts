import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { askConfig, AskConfig } from '../../../config/namespaces';
import { problemBody } from '../../../common/errors/error-code';

export interface UsageDay {
  day: string;
  questions: number;
  tokens: number;
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/** Today's row of a newest-first history, or zeros when nothing was asked today. */
export const todayOf = (days: UsageDay[]): UsageDay =>
  days[0]?.day === utcToday() ? days[0] : { day: utcToday(), questions: 0, tokens: 0 };

const toDay = (r: { day: string; questions: number; tokens: string | number }): UsageDay => ({
  day: r.day,
  questions: Number(r.questions),
  tokens: Number(r.tokens),
});

/**
 * Per-user usage per UTC day in Postgres (`ask_usage`), so counts survive Redis outages and
 * restarts, appear in the user's data export and go with the account. The optional daily quota
 * (ASK_DAILY_QUOTA) is checked and counted in one conditional upsert: concurrent questions can
 * never both take the last unit, and a refused question counts nothing.
 */
@Injectable()
export class AskUsageService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(askConfig.KEY) private readonly cfg: AskConfig,
  ) {}

  /** The user's usage rows, inside the account erasure transaction. */
  async deleteForUser(userId: string, m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM ask_usage WHERE user_id = $1`, [userId]);
  }

  /** Counts the question; 429 when it is over the daily quota. */
  async consume(userId: string): Promise<void> {
    const quota = this.cfg.dailyQuota;
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO ask_usage (user_id, day, questions) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, 1)
       ON CONFLICT (user_id, day) DO UPDATE SET questions = ask_usage.questions + 1
        WHERE $2::int = 0 OR ask_usage.questions < $2::int
       RETURNING questions`,
      [userId, quota],
    );
    if (!rows.length) {
      throw new HttpException(
        problemBody({ message: `Daily question quota of ${quota} reached`, code: 'ask-quota-exceeded' }),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async addTokens(userId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    await this.ds.query(
      `INSERT INTO ask_usage (user_id, day, tokens) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2)
       ON CONFLICT (user_id, day) DO UPDATE SET tokens = ask_usage.tokens + EXCLUDED.tokens`,
      [userId, tokens],
    );
  }

  /** The last `days` UTC days with any usage, newest first. */
  async history(userId: string, days: number): Promise<UsageDay[]> {
    const rows = await this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, questions, tokens FROM ask_usage
        WHERE user_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int ORDER BY day DESC`,
      [userId, days],
    );
    return rows.map(toDay);
  }

  async today(userId: string): Promise<UsageDay> {
    return todayOf(await this.history(userId, 1));
  }

  get dailyQuota(): number {
    return this.cfg.dailyQuota;
  }
}
