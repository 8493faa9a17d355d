import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { Transactions } from '../../../database/transactions';

export type RotateResult =
  | { kind: 'rotated'; session: SessionEntity }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'unknown' };

/** Sessions and their refresh-token chain. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly tx: Transactions,
  ) {}

  async create(
    data: Pick<SessionEntity, 'userId' | 'userAgent' | 'ip' | 'expiresAt'>,
    tokenHash: string,
  ): Promise<SessionEntity> {
    return this.tx.run(async (m) => {
      const session = await m.save(m.create(SessionEntity, { ...data, lastUsedAt: new Date() }));
      await m.insert(RefreshTokenEntity, { tokenHash, sessionId: session.id });
      return session;
    });
  }

  /**
   * Swaps the current refresh token for a new one in one transaction. The conditional UPDATE
   * makes the swap single-use even under concurrent calls: the loser sees the token as rotated.
   */
  async rotate(oldHash: string, newHash: string, expiresAt: Date): Promise<RotateResult> {
    return this.tx.run(async (m) => {
      const claimed = (await m.query(
        `UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1 AND rotated_at IS NULL RETURNING session_id`,
        [oldHash],
      )) as [{ session_id: string }[], number];
      const sessionId = claimed[0][0]?.session_id;
      if (!sessionId) {
        const known = await m.findOne(RefreshTokenEntity, {
          where: { tokenHash: oldHash },
          select: { sessionId: true, tokenHash: true },
        });
        return known ? { kind: 'reused' as const, sessionId: known.sessionId } : { kind: 'unknown' as const };
      }
      const session = await m.findOne(SessionEntity, { where: { id: sessionId } });
      if (!session || session.revokedAt || session.expiresAt <= new Date()) return { kind: 'unknown' as const };
      await m.insert(RefreshTokenEntity, { tokenHash: newHash, sessionId });
      session.lastUsedAt = new Date();
      session.expiresAt = expiresAt;
      await m.update(SessionEntity, { id: sessionId }, { lastUsedAt: session.lastUsedAt, expiresAt });
      return { kind: 'rotated' as const, session };
    });
  }

  findActiveForUser(userId: string): Promise<SessionEntity[]> {
    return this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
  }

  findAllForUser(userId: string): Promise<SessionEntity[]> {
    return this.sessions.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  findOwned(id: string, userId: string): Promise<SessionEntity | null> {
    return this.sessions.findOne({ where: { id, userId, revokedAt: IsNull() } });
  }

  /** Whether the session exists, belongs to the user and is not revoked (the guard's check). */
  async isLive(id: string, userId: string): Promise<boolean> {
    return this.sessions.exists({ where: { id, userId, revokedAt: IsNull() } });
  }

  /** Returns how many sessions were revoked. */
  async revoke(id: string, reason: string): Promise<number> {
    const r = await this.sessions.update({ id, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
    return r.affected ?? 0;
  }

  /** Returns the ids of the sessions it revoked (their cache entries must go). */
  async revokeAllForUser(userId: string, reason: string, exceptSessionId?: string): Promise<string[]> {
    const qb = this.sessions
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) qb.andWhere('id <> :exceptSessionId', { exceptSessionId });
    const r = await qb.returning('id').execute();
    return (r.raw as { id: string }[]).map((row) => row.id);
  }

  async deleteForUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(SessionEntity, { userId });
  }
}
