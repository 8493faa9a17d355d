import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { RATE_LIMIT_REJECTIONS_TOTAL } from '../../modules/metrics/metric-names';

/** Who a request counts against: the authenticated principal when there is one, else the IP. */
export function rateLimitTracker(req: { ip?: string; user?: { rateLimitKey?: string } }): string {
  return req.user?.rateLimitKey ?? `ip:${req.ip ?? 'unknown'}`;
}

/**
 * One budget per client across the whole API (not per route), counted in Redis so that every
 * instance enforces the same limit.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectMetric(RATE_LIMIT_REJECTIONS_TOTAL) private readonly rejections: Counter<string>,
  ) {
    super(options, storage, reflector);
  }

  protected getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitTracker(req as Parameters<typeof rateLimitTracker>[0]));
  }

  protected generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `rl:${throttlerName}:${tracker}`;
  }

  protected async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    this.rejections.inc();
    throw new ThrottlerException(
      `Rate limit of ${detail.limit} requests per ${Math.round(detail.ttl / 1000)} s exceeded; retry after ${detail.timeToBlockExpire} s`,
    );
  }
}
