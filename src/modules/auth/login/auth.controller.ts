import { Body, Controller, HttpCode, HttpStatus, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth, CurrentPrincipal, Public } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import { ReqMeta } from '../../../common/http/request-meta';
import type { RequestMeta } from '../../../common/http/request-meta';
import { LoginDto, RefreshDto, RegisterDto, TokenPairView } from '../dto/account.dto';
import { SessionsService } from '../sessions/sessions.service';
import { toUserView, UserView } from '../users/user-view';
import { UsersService } from '../users/users.service';
import { AuthService, TokenPair } from './auth.service';
import { RetryAfterInterceptor } from './retry-after.interceptor';

@ApiTags('auth')
@Controller('auth')
@UseInterceptors(RetryAfterInterceptor)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account (role user)' })
  @ApiCreatedResponse({ type: UserView, description: 'The new account (no password hash)' })
  @ApiConflictResponse({ description: 'An account with this email exists' })
  async register(@Body() dto: RegisterDto, @ReqMeta() meta: RequestMeta): Promise<UserView> {
    return toUserView(await this.users.register(dto, meta));
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange email + password for an access token and a refresh token (new session)' })
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (same answer for both), or disabled account' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this email or IP; see Retry-After' })
  login(@Body() dto: LoginDto, @ReqMeta() meta: RequestMeta): Promise<TokenPair> {
    return this.auth.login(dto.email, dto.password, meta);
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate the refresh token: returns a new pair, the presented token stops working' })
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({
    description: 'Unknown, expired or revoked token; a reused token also revokes its session',
  })
  refresh(@Body() dto: RefreshDto, @ReqMeta() meta: RequestMeta): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken, meta);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @ApiOperation({ summary: 'Revoke the current session (its refresh token stops working)' })
  @ApiNoContentResponse({ description: 'Session revoked' })
  async logout(@CurrentPrincipal() p: Principal, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.auth.logout(p.userId, p.sessionId, meta);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @ApiOperation({ summary: "Revoke every one of the user's sessions" })
  @ApiNoContentResponse({ description: 'All sessions revoked' })
  async logoutAll(@CurrentPrincipal() p: Principal, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.sessions.revokeAll(p.userId, meta, 'logout-all');
  }
}
