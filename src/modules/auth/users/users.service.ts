import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service';
import type { Role } from '../../../common/auth/principal';
import { RequestMeta } from '../../../common/http/request-meta';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { isCommonPassword } from '../password/common-passwords';
import { PasswordHasher } from '../password/password-hasher';
import { SessionsService } from '../sessions/sessions.service';
import { normalizeEmail } from './email';
import { UserEntity } from './user.entity';
import { UserStatusService } from './user-status.service';
import { UsersRepository } from './users.repository';

/** Account lifecycle: registration, profile, password change. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly status: UserStatusService,
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  async register(
    input: { email: string; password: string; displayName?: string },
    meta: RequestMeta,
    role: Role = 'user',
  ): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    this.assertAcceptablePassword(input.password);
    if (await this.users.findByEmail(email)) throw new ConflictException('An account with this email already exists');
    const user = await this.users.create({
      email,
      passwordHash: await this.hasher.hash(input.password),
      displayName: input.displayName ?? null,
      role,
    });
    await this.audit.record(
      { action: 'user.register', actorId: user.id, entityType: 'user', entityId: user.id, newValues: { role } },
      meta,
    );
    return user;
  }

  async get(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  async updateProfile(userId: string, patch: { displayName?: string | null }): Promise<UserEntity> {
    if (patch.displayName !== undefined) await this.users.update(userId, { displayName: patch.displayName });
    return this.get(userId);
  }

  /**
   * Needs the current password; every other session of the user is revoked (their access tokens
   * stop at once), and with `revokeApiKeys` every API key too.
   */
  async changePassword(
    userId: string,
    input: { current: string; next: string; revokeApiKeys?: boolean },
    currentSessionId: string | undefined,
    meta: RequestMeta,
  ): Promise<void> {
    const { current, next } = input;
    await this.verifyPassword(userId, current);
    this.assertAcceptablePassword(next);
    if (current === next) throw new BadRequestException('The new password must differ from the current one');
    await this.users.update(userId, { passwordHash: await this.hasher.hash(next), passwordChangedAt: new Date() });
    await this.sessions.revokeAll(userId, meta, 'password-change', currentSessionId);
    if (input.revokeApiKeys) await this.apiKeys.revokeAll(userId, 'password-change', meta);
    await this.audit.record(
      { action: 'user.password-change', actorId: userId, entityType: 'user', entityId: userId },
      meta,
    );
  }

  async verifyPassword(userId: string, password: string): Promise<void> {
    const hash = await this.users.findHashById(userId);
    if (!hash || !(await this.hasher.verify(hash, password)))
      throw new UnauthorizedException('The password is not correct');
  }

  async adminUpdate(
    actorId: string,
    userId: string,
    patch: { role?: Role; disabled?: boolean },
    meta: RequestMeta,
  ): Promise<UserEntity> {
    const user = await this.get(userId);
    if (actorId === userId && (patch.disabled === true || (patch.role && patch.role !== 'admin'))) {
      throw new ConflictException('Admins cannot disable or demote themselves');
    }
    const old: Record<string, unknown> = {};
    const changed: Record<string, unknown> = {};
    for (const k of ['role', 'disabled'] as const) {
      if (patch[k] !== undefined && patch[k] !== user[k]) {
        old[k] = user[k];
        changed[k] = patch[k];
      }
    }
    if (!Object.keys(changed).length) return user;
    await this.users.update(userId, changed);
    await this.status.evict(userId);
    if (changed.disabled === true) await this.sessions.revokeAll(userId, meta, 'disabled');
    const action = 'role' in changed ? 'user.role-change' : 'user.disabled-change';
    await this.audit.record(
      { action, actorId, entityType: 'user', entityId: userId, oldValues: old, newValues: changed },
      meta,
    );
    return this.get(userId);
  }

  assertAcceptablePassword(password: string): void {
    if (password.length < 12 || password.length > 128)
      throw new BadRequestException('The password must be 12 to 128 characters long');
    if (isCommonPassword(password)) throw new BadRequestException('This password is too common; choose another one');
  }
}
