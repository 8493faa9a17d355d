import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service';
import { RequestMeta } from '../../../common/http/request-meta';
import { UserStatusService } from '../users/user-status.service';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export function toSessionView(s: SessionEntity, currentId?: string): SessionView {
  return {
    id: s.id,
    createdAt: s.createdAt,
    lastUsedAt: s.lastUsedAt,
    expiresAt: s.expiresAt,
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.id === currentId,
  };
}

/**
 * A user's view of their own sessions: list, revoke one, revoke all. Every revocation goes
 * through here so that the guard's cached session state is evicted with it (the session's
 * access tokens then fail on the next request, not when they expire).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly status: UserStatusService,
    private readonly audit: AuditService,
  ) {}

  async list(userId: string, currentSessionId?: string): Promise<SessionView[]> {
    return (await this.sessions.findActiveForUser(userId)).map((s) => toSessionView(s, currentSessionId));
  }

  /** Someone else's session id answers 404, exactly like a missing one. */
  async revoke(userId: string, sessionId: string, meta: RequestMeta, reason = 'revoked'): Promise<void> {
    const session = await this.sessions.findOwned(sessionId, userId);
    if (!session) throw new NotFoundException('Session not found');
    await this.end(sessionId, reason);
    await this.audit.record(
      { action: 'session.revoke', actorId: userId, entityType: 'session', entityId: sessionId, newValues: { reason } },
      meta,
    );
  }

  async revokeAll(userId: string, meta: RequestMeta, reason = 'logout-all', exceptSessionId?: string): Promise<number> {
    const revoked = await this.sessions.revokeAllForUser(userId, reason, exceptSessionId);
    await this.status.evictSessions(revoked);
    const count = revoked.length;
    await this.audit.record(
      {
        action: 'session.revoke-all',
        actorId: userId,
        entityType: 'user',
        entityId: userId,
        newValues: { reason, count },
      },
      meta,
    );
    return count;
  }

  /** Revokes one session (no ownership check: callers have proven it); returns 1 or 0. */
  async end(sessionId: string, reason: string): Promise<number> {
    const revoked = await this.sessions.revoke(sessionId, reason);
    await this.status.evictSessions([sessionId]);
    return revoked;
  }
}
