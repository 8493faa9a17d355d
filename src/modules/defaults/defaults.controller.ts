import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ReqMeta } from '../../common/http/request-meta';
import type { RequestMeta } from '../../common/http/request-meta';
import { assertKey, canonicalOr400 } from './context';
import { DefaultsReadService } from './defaults-read.service';
import { DefaultsWriteGuard } from './defaults-write.guard';
import { DefaultsWriteService } from './defaults-write.service';
import { etagOf, parseIfMatch } from './defaults.view';
import { ContextQueryDto, HistoryQueryDto, ListDefaultsQueryDto, PutDefaultDto } from './dto/defaults.dto';
import { problemBody } from '../../common/errors/error-code';

/**
 * Context-aware default values. Reads: any logged-in user, or an API key with defaults:read.
 * Writes: role admin, or an API key with defaults:write.
 */
@ApiTags('defaults')
@Controller('defaults')
export class DefaultsController {
  constructor(
    private readonly reads: DefaultsReadService,
    private readonly writes: DefaultsWriteService,
  ) {}

  @Get()
  @Auth({ scopes: ['defaults:read'] })
  @ApiOperation({ summary: 'List defaults: filter by key, key prefix, context attributes; page or cursor; sort' })
  @ApiOkResponse({ description: '{items, nextCursor, page?, total?}' })
  list(@Query() q: ListDefaultsQueryDto) {
    return this.reads.list({
      key: q.key,
      keyPrefix: q.keyPrefix,
      attributes: canonicalOr400(q.context),
      sort: q.sort ?? 'key',
      limit: q.limit ?? 20,
      page: q.page,
      cursor: q.cursor,
    });
  }

  @Get(':key')
  @Auth({ scopes: ['defaults:read'] })
  @ApiOperation({
    summary: 'Resolve: the exact (key, context) row, else the largest stored subset context, else the global row',
  })
  @ApiOkResponse({ description: '{value, match: exact|fallback|global, matchedContext, reason, ...}' })
  @ApiBadRequestResponse({ description: 'Bad key characters or context' })
  @ApiNotFoundResponse({ description: 'Nothing applies' })
  async resolve(@Param('key') key: string, @Query() q: ContextQueryDto, @Res({ passthrough: true }) res: FastifyReply) {
    assertKey(key);
    const r = await this.reads.resolve(key, canonicalOr400(q.context));
    if (!r)
      throw new NotFoundException(
        problemBody({
          message: `No default for key "${key}" applies to this context`,
          code: 'default-not-found',
        }),
      );
    if (r.match === 'exact') void res.header('ETag', etagOf(r.version));
    return r;
  }

  @Get(':key/history')
  @Auth({ scopes: ['defaults:read'] })
  @ApiOperation({ summary: 'Audit trail of one (key, context): old/new values, actor, time; newest first' })
  history(@Param('key') key: string, @Query() q: HistoryQueryDto) {
    assertKey(key);
    return this.reads.history(key, canonicalOr400(q.context), q.page, q.limit);
  }

  @Put(':key')
  @Auth({ scopes: ['defaults:write'], forbidden: 'Not admin / no defaults:write scope' })
  @UseGuards(DefaultsWriteGuard)
  @ApiOperation({
    summary: 'Create or replace the default of (key, context); If-Match: "<version>" for optimistic locking',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; * = must exist' })
  @ApiOkResponse({ description: 'Updated (ETag header = new version)' })
  @ApiCreatedResponse({ description: 'Created' })
  @ApiBadRequestResponse({ description: 'Bad key, context, value or confidence' })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match the current version' })
  @ApiPayloadTooLargeResponse({ description: 'Value larger than DEFAULTS_MAX_VALUE_BYTES' })
  async put(
    @Param('key') key: string,
    @Body() dto: PutDefaultDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() p: Principal,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    assertKey(key);
    const { view, created } = await this.writes.upsert(
      { key, context: dto.context, value: dto.value, confidence: dto.confidence },
      parseIfMatch(ifMatch),
      p.userId,
      meta,
    );
    void res.status(created ? HttpStatus.CREATED : HttpStatus.OK).header('ETag', etagOf(view.version));
    return view;
  }

  @Delete(':key')
  @Auth({ scopes: ['defaults:write'] })
  @UseGuards(DefaultsWriteGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete the default of (key, context)' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such (key, context)' })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match' })
  async remove(
    @Param('key') key: string,
    @Query() q: ContextQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() p: Principal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    assertKey(key);
    await this.writes.remove(key, canonicalOr400(q.context), parseIfMatch(ifMatch), p.userId, meta);
  }
}
