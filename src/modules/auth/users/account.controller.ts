import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import { ReqMeta } from '../../../common/http/request-meta';
import type { RequestMeta } from '../../../common/http/request-meta';
import { ChangePasswordDto, DeleteMeDto, UpdateMeDto } from '../dto/account.dto';
import { AccountPrivacyService } from '../privacy/account-privacy.service';
import { toUserView, UserView } from './user-view';
import { UsersService } from './users.service';

@ApiTags('account')
@Controller('auth/me')
export class AccountController {
  constructor(
    private readonly users: UsersService,
    private readonly privacy: AccountPrivacyService,
  ) {}

  @Get()
  @Auth({ scopes: ['profile:read'] })
  @ApiOperation({ summary: 'The calling user (API keys need scope profile:read: the key owner)' })
  @ApiOkResponse({ type: UserView })
  async me(@CurrentPrincipal() p: Principal): Promise<UserView> {
    return toUserView(await this.users.get(p.userId));
  }

  @Patch()
  @Auth()
  @ApiOperation({ summary: 'Update the display name' })
  @ApiOkResponse({ type: UserView })
  async update(@CurrentPrincipal() p: Principal, @Body() dto: UpdateMeDto): Promise<UserView> {
    return toUserView(
      await this.users.updateProfile(p.userId, { displayName: dto.displayName === '' ? null : dto.displayName }),
    );
  }

  @Post('password')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Change the password (needs the current one); every other session is revoked at once, and with revokeApiKeys every API key',
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiUnauthorizedResponse({ description: 'Current password is wrong' })
  async changePassword(
    @CurrentPrincipal() p: Principal,
    @Body() dto: ChangePasswordDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    await this.users.changePassword(
      p.userId,
      { current: dto.currentPassword, next: dto.newPassword, revokeApiKeys: dto.revokeApiKeys },
      p.sessionId,
      meta,
    );
  }

  @Get('export')
  @Auth()
  @ApiOperation({ summary: 'Everything held about the user, as JSON (every module contributes its section)' })
  @ApiOkResponse({ description: "account, sessions, apiKeys, auditLog and other modules' sections" })
  export(@CurrentPrincipal() p: Principal): Promise<Record<string, unknown>> {
    return this.privacy.export(p.userId);
  }

  @Delete()
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Erase the account and everything it owns (password re-checked); audit entries are anonymised',
  })
  @ApiNoContentResponse({ description: 'Erased' })
  @ApiUnauthorizedResponse({ description: 'Password is wrong' })
  async erase(@CurrentPrincipal() p: Principal, @Body() dto: DeleteMeDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.privacy.erase(p.userId, dto.password, meta);
  }
}
