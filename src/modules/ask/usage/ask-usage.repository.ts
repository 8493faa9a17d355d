import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** One UTC day of `ask_usage`; pg returns the bigint `tokens` as a string. */
export interface AskUsageRow {
  day: string;
  questions: number;
  tokens: string | number;
}

/** Per-user, per-UTC-day counters (`ask_usage`). */
@Injectable()
export class AskUsageRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Counts one question today in one conditional upsert, so concurrent questions can never both
   * take the last unit; false (nothing counted) when today's count already reached `quota` (0: none).
   */
  async countQuestion(userId: string, quota: number): Promise<boolean> {
    const rows: { questions: number }[] = await this.ds.query(
      `INSERT INTO ask_usage (user_id, day, questions) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, 1)
       ON CONFLICT (user_id, day) DO UPDATE SET questions = ask_usage.questions + 1
        WHERE $2::int = 0 OR ask_usage.questions < $2::int
       RETURNING questions`,
      [userId, quota],
    );
    return rows.length > 0;
  }

  async addTokens(userId: string, tokens: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO ask_usage (user_id, day, tokens) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2)
       ON CONFLICT (user_id, day) DO UPDATE SET tokens = ask_usage.tokens + EXCLUDED.tokens`,
      [userId, tokens],
    );
  }

  /** The last `days` UTC days with any usage, newest first. */
  history(userId: string, days: number): Promise<AskUsageRow[]> {
    return this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, questions, tokens FROM ask_usage
        WHERE user_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int ORDER BY day DESC`,
      [userId, days],
    );
  }

  /** Within the erasure's transaction (`m`). */
  async deleteForUser(userId: string, m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM ask_usage WHERE user_id = $1`, [userId]);
  }
}
