import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { CreateSourceDto, JobViewDto, CrawledPagesQueryDto, PageListDto, SourceViewDto } from './dto/source.dto';
import { IngestionService } from './ingestion.service';

/** A user's sources; another user's ids answer 404 (never 403, which would confirm they exist). */
@ApiTags('ingestion')
@Controller('sources')
export class SourcesController {
  constructor(private readonly service: IngestionService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Auth({ scopes: ['ingestion:write'] })
  @ApiOperation({ summary: 'Submit a site; a crawl job is queued (the source with its job under `job`)' })
  @ApiAcceptedResponse({ type: SourceViewDto })
  @ApiBadRequestResponse({ description: 'Invalid URL, scheme or limits' })
  @ApiUnprocessableEntityResponse({
    description:
      'Start URL on an address the crawler refuses (code crawl-target-refused; names the rule and CRAWLER_ALLOWED_HOSTS), or domain a public suffix with includeSubdomains (code domain-public-suffix)',
  })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateSourceDto) {
    return this.service.create(p.userId, dto);
  }

  @Get()
  @Auth({ scopes: ['ingestion:read'] })
  @ApiOperation({ summary: 'Your sources with page and chunk counts' })
  @ApiOkResponse({ type: [SourceViewDto] })
  list(@CurrentPrincipal() p: Principal) {
    return this.service.list(p.userId);
  }

  @Get(':id')
  @Auth({ scopes: ['ingestion:read'] })
  @ApiOperation({ summary: 'A source with page counts and its last job' })
  @ApiOkResponse({ type: SourceViewDto })
  @ApiNotFoundResponse({ description: 'No such source of yours' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.get(p.userId, id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ scopes: ['ingestion:write'] })
  @ApiOperation({ summary: 'Delete a source with its pages and chunks (its running job is cancelled)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such source of yours' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.service.remove(p.userId, id);
  }

  @Post(':id/recrawl')
  @HttpCode(HttpStatus.ACCEPTED)
  @Auth({ scopes: ['ingestion:write'] })
  @ApiOperation({ summary: 'New crawl job; unchanged pages (ETag/Last-Modified or same content) are not re-indexed' })
  @ApiAcceptedResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'No such source of yours' })
  recrawl(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.recrawl(p.userId, id);
  }

  @Get(':id/pages')
  @Auth({ scopes: ['ingestion:read'] })
  @ApiOperation({
    summary: 'Pages of the source with status (indexed, unchanged, skipped, failed), HTTP status and skip reason',
  })
  @ApiOkResponse({ type: PageListDto })
  @ApiNotFoundResponse({ description: 'No such source of yours' })
  pages(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: CrawledPagesQueryDto) {
    return this.service.listPages(p.userId, id, q.limit ?? 50, q.offset ?? 0);
  }
}
