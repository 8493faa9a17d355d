import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { NoTimeout } from '../../common/http/no-timeout.decorator';
import { openEventStream } from '../../common/http/event-stream';
import { AskService } from './ask.service';
import { AskDto, AskResponseDto } from './dto/ask.dto';

@ApiTags('ask')
@Controller('ask')
export class AskController {
  constructor(private readonly service: AskService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @NoTimeout()
  @Auth({ scopes: ['ask:query'] })
  @ApiOperation({ summary: 'Answer from your indexed sources with [n] citations (SSE with Accept: text/event-stream)' })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: AskResponseDto })
  @ApiNotFoundResponse({ description: 'A sourceId that is not yours' })
  @ApiTooManyRequestsResponse({ description: 'Daily question quota reached' })
  async ask(
    @CurrentPrincipal() p: Principal,
    @Body() dto: AskDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const sourceIds = await this.service.begin(p.userId, dto);
    if (/text\/event-stream/i.test(req.headers.accept ?? '')) return this.sse(p.userId, sourceIds, dto, reply);
    const abort = new AbortController();
    // The client hanging up before the answer is written aborts the provider call.
    reply.raw.once('close', () => reply.raw.writableFinished || abort.abort());
    return this.service.ask(p.userId, sourceIds, dto, abort.signal);
  }

  @Post('stream')
  @HttpCode(HttpStatus.OK)
  @NoTimeout()
  @Auth({ scopes: ['ask:query'] })
  @ApiOperation({
    summary:
      'SSE answer: `citations` event, `delta` events, then `done` (or `error`); closing the connection aborts the provider call',
  })
  @ApiProduces('text/event-stream')
  @ApiNotFoundResponse({ description: 'A sourceId that is not yours' })
  @ApiTooManyRequestsResponse({ description: 'Daily question quota reached' })
  async stream(
    @CurrentPrincipal() p: Principal,
    @Body() dto: AskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const sourceIds = await this.service.begin(p.userId, dto);
    await this.sse(p.userId, sourceIds, dto, reply);
  }

  private async sse(userId: string, sourceIds: string[], dto: AskDto, reply: FastifyReply): Promise<void> {
    const stream = openEventStream(reply);
    const abort = new AbortController();
    stream.raw.on('close', () => stream.raw.writableFinished || abort.abort());
    try {
      for await (const e of this.service.events(userId, sourceIds, dto, abort.signal)) {
        if (abort.signal.aborted) break;
        if (e.type === 'citations') stream.send('citations', { citations: e.citations });
        else if (e.type === 'delta') stream.send('delta', { text: e.text });
        else stream.send('done', { usedProvider: e.usedProvider, timings: e.timings });
      }
    } catch (err) {
      // A client that went away needs no error event (and its abort is no failure to log).
      if (!abort.signal.aborted) return stream.fail(err);
    }
    stream.end();
  }
}
