import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { Transactions } from '../../../database/transactions';

@Injectable()
export class ApiKeysRepository {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>,
    private readonly tx: Transactions,
  ) {}

  create(
    data: Pick<ApiKeyEntity, 'userId' | 'name' | 'prefix' | 'secretHash' | 'scopes' | 'expiresAt'>,
  ): Promise<ApiKeyEntity> {
    return this.repo.save(this.repo.create(data));
  }

  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOne({ where: { prefix } });
  }

  listForUser(userId: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  allForUser(userId: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  findOwned(id: string, userId: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOne({ where: { id, userId, revokedAt: IsNull() } });
  }

  /**
   * Reads the user's live key under a row lock (SELECT ... FOR UPDATE) and writes what `change`
   * returns, in one transaction: concurrent rotations of one key run one after the other, each
   * seeing the previous one's result. `change` may throw to refuse (nothing is written).
   * Null when the key is missing, someone else's or revoked.
   */
  async updateLocked(
    id: string,
    userId: string,
    change: (key: ApiKeyEntity) => Partial<ApiKeyEntity>,
  ): Promise<ApiKeyEntity | null> {
    return this.tx.run(async (m) => {
      const key = await m.findOne(ApiKeyEntity, {
        where: { id, userId, revokedAt: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!key) return null;
      const patch = change(key);
      await m.update(ApiKeyEntity, { id }, patch);
      return Object.assign(key, patch);
    });
  }

  async update(id: string, patch: Partial<ApiKeyEntity>): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  /** Revokes every live key of the user; returns their prefixes (their cache entries must go). */
  async revokeAllForUser(userId: string): Promise<string[]> {
    const r = await this.repo
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .returning('prefix')
      .execute();
    return (r.raw as { prefix: string }[]).map((row) => row.prefix);
  }

  /** One statement for a whole batch of last-used times (never moves a time backwards). */
  async touchMany(entries: { id: string; at: Date }[]): Promise<void> {
    if (!entries.length) return;
    await this.repo.query(
      `UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, v.at), v.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) WHERE k.id = v.id`,
      [entries.map((e) => e.id), entries.map((e) => e.at.toISOString())],
    );
  }

  async deleteForUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(ApiKeyEntity, { userId });
  }
}
