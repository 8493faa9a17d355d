import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../privacy/privacy-registry';
import { AuditRepository } from './audit.repository';

/** The user's own audit entries are exported; on erasure they are kept but anonymised. */
@PrivacyContributor()
@Injectable()
export class AuditPrivacy implements UserDataContributor {
  readonly name = 'auditLog';

  constructor(private readonly repo: AuditRepository) {}

  async export(userId: string) {
    return (await this.repo.findByActor(userId)).map((a) => ({
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      createdAt: a.createdAt,
      ip: a.ip,
    }));
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.repo.anonymise(userId, manager);
  }
}
