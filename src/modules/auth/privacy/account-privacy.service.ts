import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service';
import { RequestMeta } from '../../../common/http/request-meta';
import { PrivacyRegistry } from '../../../common/privacy/privacy-registry';
import { UserStatusService } from '../users/user-status.service';
import { toUserView } from '../users/user-view';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { Transactions } from '../../../database/transactions';

/**
 * Data export and erasure. The account itself is handled here; everything else (sessions,
 * API keys, audit entries, and any other module's rows) comes from the PrivacyRegistry's
 * contributors.
 */
@Injectable()
export class AccountPrivacyService {
  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly status: UserStatusService,
    private readonly audit: AuditService,
    private readonly tx: Transactions,
  ) {}

  async export(userId: string): Promise<Record<string, unknown>> {
    const account = toUserView(await this.usersService.get(userId));
    const sections = await Promise.all(this.registry.all().map(async (c) => [c.name, await c.export(userId)] as const));
    return { exportedAt: new Date().toISOString(), account, ...Object.fromEntries(sections) };
  }

  /** Password re-checked; one transaction for every contributor and the account row. */
  async erase(userId: string, password: string, meta: RequestMeta): Promise<void> {
    await this.usersService.verifyPassword(userId, password);
    await this.tx.run(async (m) => {
      for (const c of this.registry.all()) await c.erase(userId, m);
      await this.users.delete(userId, m);
    });
    await this.status.evict(userId);
    // Anonymous on purpose: only the fact that an erasure happened is kept.
    await this.audit.record({ action: 'user.erase', entityType: 'user' }, { ...meta, ip: '' });
  }
}
