import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import { ReqMeta } from '../../../common/http/request-meta';
import type { RequestMeta } from '../../../common/http/request-meta';
import { ApiKeyViewDto, ApiKeyWithSecretDto, CreateApiKeyDto } from '../dto/api-key.dto';
import { ApiKeysService, ApiKeyView } from './api-keys.service';

/** Key management needs a user token: an API key cannot mint or rotate keys. */
@ApiTags('api-keys')
@Auth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the secret is returned only in this response' })
  @ApiCreatedResponse({ type: ApiKeyWithSecretDto })
  create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreateApiKeyDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    return this.keys.create(p.userId, dto, meta);
  }

  @Get()
  @ApiOperation({ summary: 'Your live API keys (never the secrets)' })
  @ApiOkResponse({ type: [ApiKeyViewDto] })
  list(@CurrentPrincipal() p: Principal): Promise<ApiKeyView[]> {
    return this.keys.list(p.userId);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a key (all its secrets stop working at once)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such live key of yours' })
  async revoke(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    await this.keys.revoke(p.userId, id, meta);
  }

  @Post(':id/rotate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'New secret for the key; the previous secret keeps working for API_KEY_ROTATION_GRACE_SECONDS',
  })
  @ApiOkResponse({ type: ApiKeyWithSecretDto })
  @ApiNotFoundResponse({ description: 'No such live key of yours' })
  @ApiConflictResponse({
    description:
      'api-key-rotation-pending: the previous secret is still in its grace period (also the answer to the losers of concurrent rotations)',
  })
  rotate(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    return this.keys.rotate(p.userId, id, meta);
  }
}
