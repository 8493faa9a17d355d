import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { FeedbackFilterDto } from './dto/feedback.dto';
import { FeedbackIdempotencyEntity } from './entities/feedback-idempotency.entity';
import { FeedbackEntity, FeedbackStatus } from './entities/feedback.entity';
import { Transactions } from '../../database/transactions';

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class FeedbackRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: Transactions,
  ) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.run(fn);
  }

  insert(m: EntityManager, data: Partial<FeedbackEntity>): Promise<FeedbackEntity> {
    return m.save(FeedbackEntity, m.create(FeedbackEntity, data));
  }

  /**
   * Claims (client, key). Blocks while another transaction holds the same uncommitted claim, so
   * of two concurrent requests exactly one proceeds. Returns false when the key is taken.
   */
  async claimIdempotencyKey(m: EntityManager, clientKey: string, key: string, ttlSeconds: number): Promise<boolean> {
    await m.query(
      `DELETE FROM feedback_idempotency_keys
        WHERE client_key = $1 AND idempotency_key = $2 AND created_at < now() - make_interval(secs => $3)`,
      [clientKey, key, ttlSeconds],
    );
    const rows: unknown[] = await m.query(
      `INSERT INTO feedback_idempotency_keys (client_key, idempotency_key, response_status, response_body)
       VALUES ($1, $2, 0, '{}'::jsonb) ON CONFLICT DO NOTHING RETURNING client_key`,
      [clientKey, key],
    );
    return rows.length === 1;
  }

  async saveIdempotentResponse(
    m: EntityManager,
    clientKey: string,
    key: string,
    feedbackId: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await m.update(
      FeedbackIdempotencyEntity,
      { clientKey, idempotencyKey: key },
      { feedbackId, responseStatus: status, responseBody: body as object },
    );
  }

  async purgeExpiredIdempotencyKeys(ttlSeconds: number): Promise<number> {
    const [, n]: [unknown[], number] = await this.ds.query(
      `DELETE FROM feedback_idempotency_keys WHERE created_at < now() - make_interval(secs => $1)`,
      [ttlSeconds],
    );
    return Number(n ?? 0);
  }

  findIdempotent(m: EntityManager, clientKey: string, key: string): Promise<FeedbackIdempotencyEntity | null> {
    return m.findOne(FeedbackIdempotencyEntity, { where: { clientKey, idempotencyKey: key } });
  }

  private filtered(f: FeedbackFilterDto): SelectQueryBuilder<FeedbackEntity> {
    const qb = this.ds.manager.createQueryBuilder(FeedbackEntity, 'f');
    if (f.type) qb.andWhere('f.type = :type', { type: f.type });
    if (f.status) qb.andWhere('f.status = :status', { status: f.status });
    if (f.from) qb.andWhere('f.created_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('f.created_at < :to', { to: f.to });
    if (f.q) qb.andWhere(`f.message ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(f.q)}%` });
    return qb;
  }

  search(f: FeedbackFilterDto, page: number, limit: number): Promise<[FeedbackEntity[], number]> {
    return this.filtered(f)
      .orderBy('f.created_at', 'DESC')
      .addOrderBy('f.id', 'DESC')
      .skip((page - 1) * limit)
      .take(limit)
      .getManyAndCount();
  }

  /**
   * Keyset-paginated batches in creation order: memory stays at one batch whatever the table
   * size, and no long-lived cursor or transaction is held while a slow client reads.
   */
  async *batches(f: FeedbackFilterDto, size: number): AsyncGenerator<FeedbackEntity[]> {
    let after: string | null = null;
    for (;;) {
      const qb = this.filtered(f).orderBy('f.created_at', 'ASC').addOrderBy('f.id', 'ASC').limit(size);
      // Compared with the stored row itself: a JS Date would drop created_at's microseconds.
      if (after)
        qb.andWhere('(f.created_at, f.id) > (SELECT c.created_at, c.id FROM feedback c WHERE c.id = :after)', {
          after,
        });
      const rows = await qb.getMany();
      if (rows.length) yield rows;
      if (rows.length < size) return;
      after = rows[rows.length - 1].id;
    }
  }

  findById(id: string): Promise<FeedbackEntity | null> {
    return this.ds.manager.findOne(FeedbackEntity, { where: { id } });
  }

  async setStatus(id: string, status: FeedbackStatus): Promise<boolean> {
    return ((await this.ds.manager.update(FeedbackEntity, { id }, { status })).affected ?? 0) > 0;
  }

  forUser(userId: string): Promise<FeedbackEntity[]> {
    return this.ds.manager.find(FeedbackEntity, { where: { userId }, order: { createdAt: 'ASC' } });
  }

  async deleteForUser(userId: string, m: EntityManager): Promise<void> {
    await m.delete(FeedbackEntity, { userId });
  }
}
