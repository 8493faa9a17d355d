import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { Principal } from '../../common/auth/principal';
import { RATE_LIMIT_STORAGE } from '../../common/throttling/rate-limit-storage.token';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { problemBody } from '../../common/errors/error-code';

const NAME = 'defaults-feedback';

/**
 * A budget of its own for POST /defaults/feedback (DEFAULTS_FEEDBACK_RATE_LIMIT per window),
 * counted per USER, so a user's API keys and sessions share it. Outcomes train the shared
 * predict model; the global limit (per client, all routes) let one user post thousands an hour.
 * Same storage as the global limiter: Redis, shared by every instance, failing open.
 */
@Injectable()
export class FeedbackRateGuard implements CanActivate {
  constructor(
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!user) return false;
    const { limit, windowSeconds } = this.cfg.feedbackRateLimit;
    const ttl = windowSeconds * 1000;
    const r = await this.storage.increment(`rl:${NAME}:user:${user.userId}`, ttl, limit, ttl, NAME);
    if (!r.isBlocked) return true;
    context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('Retry-After', String(Math.max(1, r.timeToBlockExpire)));
    throw new HttpException(
      problemBody({
        message: `At most ${limit} feedback calls per ${windowSeconds} s per user; retry after ${r.timeToBlockExpire} s`,
        code: 'feedback-rate-limited',
      }),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
