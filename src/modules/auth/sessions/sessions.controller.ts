import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import { ReqMeta } from '../../../common/http/request-meta';
import type { RequestMeta } from '../../../common/http/request-meta';
import { SessionsService, SessionView } from './sessions.service';

@ApiTags('sessions')
@Auth()
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's active sessions (created, last used, user agent, IP)" })
  @ApiOkResponse({ description: 'Newest first; `current` marks the session of this token' })
  list(@CurrentPrincipal() p: Principal): Promise<SessionView[]> {
    return this.sessions.list(p.userId, p.sessionId);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one of your sessions' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such active session of yours' })
  async revoke(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    await this.sessions.revoke(p.userId, id, meta);
  }
}
