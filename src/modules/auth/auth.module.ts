import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminAuditController } from './admin/admin-audit.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyHasher } from './api-keys/api-key-hasher';
import { ApiKeyUsageTracker } from './api-keys/api-key-usage.tracker';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthGuard } from './guards/auth.guard';
import { AuthController } from './login/auth.controller';
import { AuthService } from './login/auth.service';
import { LoginAttemptsService } from './login/login-attempts.service';
import { PasswordHasher } from './password/password-hasher';
import { AccountPrivacyService } from './privacy/account-privacy.service';
import { ApiKeysPrivacy } from './privacy/api-keys-privacy';
import { SessionsPrivacy } from './privacy/sessions-privacy';
import { RefreshTokenEntity } from './sessions/refresh-token.entity';
import { SessionEntity } from './sessions/session.entity';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { AccessTokenService } from './tokens/access-token.service';
import { JwtStrategy } from './tokens/jwt.strategy';
import { AccountController } from './users/account.controller';
import { AdminBootstrapService } from './users/admin-bootstrap.service';
import { UserEntity } from './users/user.entity';
import { UserStatusService } from './users/user-status.service';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/**
 * Accounts, sessions/tokens, API keys and admin endpoints. Exports AuthGuard, which
 * AppModule registers as the first APP_GUARD (before the rate limiter).
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, SessionEntity, RefreshTokenEntity, ApiKeyEntity])],
  controllers: [
    AuthController,
    AccountController,
    SessionsController,
    ApiKeysController,
    AdminUsersController,
    AdminAuditController,
  ],
  providers: [
    UsersRepository,
    SessionsRepository,
    ApiKeysRepository,
    PasswordHasher,
    AccessTokenService,
    JwtStrategy,
    UserStatusService,
    LoginAttemptsService,
    UsersService,
    SessionsService,
    AuthService,
    ApiKeyHasher,
    ApiKeyUsageTracker,
    ApiKeysService,
    AccountPrivacyService,
    SessionsPrivacy,
    ApiKeysPrivacy,
    AdminBootstrapService,
    AuthGuard,
  ],
  exports: [AuthGuard, AdminBootstrapService],
})
export class AuthModule {}
