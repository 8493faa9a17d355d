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
import { ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler/dist/throttler.guard.interface';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { Counter } from 'prom-client';
import { RATE_LIMIT_REJECTIONS_TOTAL } from '../metrics/metric-names';
import { setRateLimitHeaders } from './rate-limit-headers';

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

  /**
   * The library's version sends X-RateLimit-* on success only and Retry-After alone on 429; a
   * throttled client then cannot tell its budget. Same counting, headers on both answers.
   */
  protected async handleRequest({
    context,
    limit,
    ttl,
    throttler,
    blockDuration,
    getTracker,
    generateKey,
  }: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const name = throttler.name ?? 'default';
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    setRateLimitHeaders(
      res as FastifyReply,
      {
        policy: name,
        limit,
        windowSeconds: Math.round(ttl / 1000),
        remaining: record.isBlocked ? 0 : limit - record.totalHits,
        resetSeconds: record.isBlocked ? record.timeToBlockExpire : record.timeToExpire,
      },
      record.isBlocked,
    );
    if (record.isBlocked) await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record });
    return true;
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
