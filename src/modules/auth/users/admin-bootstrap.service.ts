import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { PasswordHasher } from '../password/password-hasher';
import { normalizeEmail } from './email';
import { UserStatusService } from './user-status.service';
import { UsersRepository } from './users.repository';

export type EnsureAdminResult = 'created' | 'promoted' | 'unchanged';

/**
 * The first admin. At boot, ADMIN_EMAIL + ADMIN_PASSWORD create that account once (an existing
 * account with the email is left exactly as it is, so restarts are no-ops). The CLI
 * (`npm run auth:create-admin`) calls ensureAdmin with promote=true.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly status: UserStatusService,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cfg.adminEmail || !this.cfg.adminPassword) return;
    const result = await this.ensureAdmin(this.cfg.adminEmail, this.cfg.adminPassword, { promote: false });
    if (result === 'created') this.logger.log(`created admin ${normalizeEmail(this.cfg.adminEmail)} from ADMIN_EMAIL`);
  }

  async ensureAdmin(rawEmail: string, password: string, opts: { promote: boolean }): Promise<EnsureAdminResult> {
    const email = normalizeEmail(rawEmail);
    const existing = await this.users.findByEmail(email);
    if (existing) {
      if (!opts.promote || (existing.role === 'admin' && !existing.disabled)) return 'unchanged';
      await this.users.update(existing.id, { role: 'admin', disabled: false });
      await this.status.evict(existing.id);
      await this.audit.record({
        action: 'user.role-change',
        entityType: 'user',
        entityId: existing.id,
        oldValues: { role: existing.role, disabled: existing.disabled },
        newValues: { role: 'admin', disabled: false },
      });
      return 'promoted';
    }
    try {
      const user = await this.users.create({
        email,
        passwordHash: await this.hasher.hash(password),
        displayName: 'Administrator',
        role: 'admin',
      });
      await this.audit.record({
        action: 'user.register',
        actorId: user.id,
        entityType: 'user',
        entityId: user.id,
        newValues: { role: 'admin', via: 'bootstrap' },
      });
      return 'created';
    } catch (err) {
      // Two instances booting together: the other one created it first.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '23505') return 'unchanged';
      throw err;
    }
  }
}
