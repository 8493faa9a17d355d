import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrivacyRegistry } from '../privacy/privacy-registry';
import { AuditLogEntity } from './audit-log.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  providers: [AuditRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule implements OnModuleInit {
  constructor(
    private readonly privacy: PrivacyRegistry,
    private readonly repo: AuditRepository,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'auditLog',
      export: async (userId) =>
        (await this.repo.findByActor(userId)).map((a) => ({
          action: a.action,
          entityType: a.entityType,
          entityId: a.entityId,
          createdAt: a.createdAt,
          ip: a.ip,
        })),
      erase: (userId, manager) => this.repo.anonymise(userId, manager),
    });
  }
}
