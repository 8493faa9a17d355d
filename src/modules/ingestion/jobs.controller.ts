import {
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { Scheduler } from '../../common/lifecycle/scheduler';
import { NoTimeout } from '../../common/http/no-timeout.decorator';
import { openEventStream } from '../../common/http/event-stream';
import { JobViewDto } from './dto/source.dto';
import { ingestionConfig, IngestionConfig } from '../../config/namespaces';
import { IngestionService, JobView } from './ingestion.service';
import { JobProgressHub } from './job-progress.hub';
import { ErrorCode, problemBody } from '../../common/errors/error-code';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
/** setTimeout's largest delay; a token living longer is still caught by the periodic re-check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

@ApiTags('ingestion')
@Controller('ingestion-jobs')
export class IngestionJobsController {
  /** Makes each stream's re-check task name unique. */
  private streams = 0;

  constructor(
    private readonly service: IngestionService,
    private readonly hub: JobProgressHub,
    @Inject(ingestionConfig.KEY) private readonly cfg: IngestionConfig,
    private readonly scheduler: Scheduler,
  ) {}

  @Get(':id')
  @Auth({ scopes: ['ingestion:read'] })
  @ApiOperation({
    summary: 'Job state, counters (discovered, fetched, indexed, unchanged, skipped by reason), times, last error',
  })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.service.getJob(p.userId, id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Auth({ scopes: ['ingestion:write'] })
  @ApiOperation({ summary: 'Cancel a queued or running job (fetching stops within about a second); no-op once ended' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.service.cancel(p.userId, id);
  }

  /**
   * Server-sent events: a `progress` event whenever the job row changes, then one `end` event
   * with the final state, then the stream closes. Reads the row (one read per job per tick for
   * all streams of this process, JobProgressHub), so it works whichever process runs the worker.
   * At most INGESTION_EVENTS_MAX_STREAMS_PER_USER open streams per user (429 beyond). The caller
   * is re-checked: when the access token expires, or every INGESTION_EVENTS_RECHECK_SECONDS the
   * account turns out disabled or erased (or the API key revoked), a `closed` event with the
   * reason is sent and the stream ends.
   */
  @Get(':id/events')
  @NoTimeout()
  @Auth({ scopes: ['ingestion:read'] })
  @ApiOperation({ summary: 'SSE stream of job progress until the job ends (or the credentials stop being valid)' })
  @ApiProduces('text/event-stream')
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  @ApiTooManyRequestsResponse({ description: 'INGESTION_EVENTS_MAX_STREAMS_PER_USER streams of this user are open' })
  async events(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { maxPerUser, recheckMs } = this.cfg.eventStreams;
    const release = this.hub.acquire(p.userId, maxPerUser);
    if (!release) {
      throw new HttpException(
        problemBody({ message: `At most ${maxPerUser} open job progress streams per user`, code: 'too-many-streams' }),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    let view: JobView;
    try {
      view = await this.service.getJob(p.userId, id);
    } catch (err) {
      release();
      throw err;
    }
    const stream = openEventStream(reply);
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = () => undefined as void;
    let stopRecheck = () => undefined as void;
    let done = false;
    let last = '';
    const finish = (event?: string, data?: unknown) => {
      if (done) return;
      done = true;
      unsubscribe();
      stopRecheck();
      for (const t of timers) clearTimeout(t);
      release();
      if (event) stream.send(event, data);
      stream.end();
    };
    const show = (v: JobView) => {
      view = v;
      if (TERMINAL.has(v.status)) return finish('end', v);
      const snapshot = JSON.stringify(v);
      if (snapshot !== last) stream.send('progress', v);
      else stream.keepAlive();
      last = snapshot;
    };
    // The response's close: the client went away (or the stream ended).
    stream.raw.on('close', () => finish());
    show(view);
    if (done) return;
    unsubscribe = this.hub.subscribe(id, {
      update: (v) => (v ? show(v) : finish('end', { ...view, status: 'cancelled' })),
      close: () => finish(),
    });
    const closed = (code: ErrorCode, message: string) => finish('closed', { code, message });
    if (p.expiresAt !== undefined) {
      const ms = Math.min(Math.max(0, p.expiresAt - Date.now()), MAX_TIMER_MS);
      timers.push(
        setTimeout(() => closed('credentials-expired', 'The access token expired; reconnect with a fresh one'), ms),
      );
    }
    const stillValid = p.stillValid;
    if (stillValid) {
      stopRecheck = this.scheduler.every(`job-stream-recheck:${id}#${++this.streams}`, recheckMs, async () => {
        const ok = await stillValid().catch(() => true);
        if (!ok) closed('credentials-invalid', 'The account is disabled or gone, or the API key was revoked');
      });
    }
  }
}
