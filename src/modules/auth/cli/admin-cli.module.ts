import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../../common/audit/audit.module';
import { AppCacheModule } from '../../../common/cache/app-cache.module';
import { PrivacyModule } from '../../../common/privacy/privacy.module';
import { RedisModule } from '../../../common/redis/redis.module';
import { configRoot } from '../../../config/config-root';
import { DatabaseModule } from '../../../database/database.module';
import { MetricsModule } from '../../metrics/metrics.module';
import { PasswordHasher } from '../password/password-hasher';
import { SessionEntity } from '../sessions/session.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { AdminBootstrapService } from '../users/admin-bootstrap.service';
import { UserEntity } from '../users/user.entity';
import { UserStatusService } from '../users/user-status.service';
import { UsersRepository } from '../users/users.repository';

/**
 * The root module of `auth:create-admin`: only what creating or promoting an account needs
 * (config, database, the cache its status eviction goes through, the audit log). No HTTP, no
 * job queues, workers, relays or timers, so the command ends as soon as its work is done.
 */
@Module({})
export class AdminCliModule {
  static forRoot(): DynamicModule {
    return {
      module: AdminCliModule,
      imports: [
        configRoot(),
        MetricsModule,
        RedisModule,
        DatabaseModule,
        AppCacheModule,
        PrivacyModule,
        AuditModule,
        TypeOrmModule.forFeature([UserEntity, SessionEntity]),
      ],
      providers: [UsersRepository, SessionsRepository, PasswordHasher, UserStatusService, AdminBootstrapService],
    };
  }
}
