import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { rateLimitTracker } from '../../common/throttling/app-throttler.guard';
import { CreateFeedbackDto, FeedbackDto } from './dto/feedback.dto';
import { FeedbackAccessGuard } from './feedback-access.guard';
import { FeedbackService } from './feedback.service';

@ApiTags('feedback')
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post()
  @HttpCode(201)
  @Auth({ optional: true, scopes: ['feedback:write'] })
  @UseGuards(FeedbackAccessGuard)
  @ApiOperation({
    summary:
      'Submit feedback (API key with feedback:write, a user token, or anonymous when FEEDBACK_ALLOW_ANONYMOUS=true)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key within 24 h get the first response back',
  })
  @ApiCreatedResponse({
    type: FeedbackDto,
    description: 'Stored (or, with a reused Idempotency-Key, the first response; header Idempotent-Replayed: true)',
  })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiUnauthorizedResponse({ description: 'No (valid) credentials and anonymous feedback is off' })
  @ApiPayloadTooLargeResponse({ description: 'Body larger than MAX_PAYLOAD_SIZE_MB' })
  @ApiTooManyRequestsResponse({ description: 'Rate limit per client; see Retry-After' })
  async submit(
    @Body() dto: CreateFeedbackDto,
    @CurrentPrincipal() principal: Principal | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FeedbackDto> {
    // Read here rather than with @Headers(), which made Swagger list a second, required header.
    const header = req.headers['idempotency-key'];
    const idempotencyKey = typeof header === 'string' ? header : undefined;
    // Idempotency keys are scoped to the same identity the rate limiter counts.
    const clientKey = rateLimitTracker(req as Parameters<typeof rateLimitTracker>[0]);
    const result = await this.feedback.submit(dto, principal, clientKey, idempotencyKey);
    reply.status(result.status);
    if (result.replayed) reply.header('Idempotent-Replayed', 'true');
    return result.body;
  }
}
