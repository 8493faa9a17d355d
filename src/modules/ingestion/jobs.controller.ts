import { Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, RequireScopes } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { NoTimeout } from '../../common/http/no-timeout.decorator';
import { startEventStream } from '../../common/http/event-stream';
import { JobViewDto } from './dto/source.dto';
import { IngestionService, JobView } from './ingestion.service';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 500;

@ApiTags('ingestion')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller({ path: 'ingestion-jobs', version: '1' })
export class IngestionJobsController {
  constructor(private readonly service: IngestionService) {}

  @Get(':id')
  @RequireScopes('ingestion:read')
  @ApiOperation({ summary: 'Job state, counters (discovered, fetched, indexed, unchanged, skipped by reason), times, last error' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.service.getJob(p.userId, id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @RequireScopes('ingestion:write')
  @ApiOperation({ summary: 'Cancel a queued or running job (fetching stops within about a second); no-op once ended' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.service.cancel(p.userId, id);
  }

  /**
   * Server-sent events: a `progress` event whenever the job row changes, then one `end` event
   * with the final state, then the stream closes. Polls the row, so it works whichever process
   * runs the worker.
   */
  @Get(':id/events')
  @NoTimeout()
  @RequireScopes('ingestion:read')
  @ApiOperation({ summary: 'SSE stream of job progress until the job ends' })
  @ApiProduces('text/event-stream')
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  async events(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    let view = await this.service.getJob(p.userId, id);
    const raw = startEventStream(reply);
    let closed = false;
    req.raw.on('close', () => (closed = true));
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let last = '';
    while (!closed) {
      const snapshot = JSON.stringify(view);
      if (TERMINAL.has(view.status)) {
        send('end', view);
        break;
      }
      if (snapshot !== last) send('progress', view);
      else raw.write(': keep-alive\n\n');
      last = snapshot;
      await new Promise((r) => setTimeout(r, POLL_MS));
      try {
        view = await this.service.getJob(p.userId, id);
      } catch {
        send('end', { ...view, status: 'cancelled' });
        break;
      }
    }
    raw.end();
  }
}
