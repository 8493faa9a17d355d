import { ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyInstance } from 'fastify';
import { rateLimitTracker } from './app-throttler.guard';
import { setRateLimitHeaders } from './rate-limit-headers';

export interface RouteRateLimitOptions {
  threshold: number;
  windowSeconds: number;
  /** Route patterns (as registered) to limit. */
  applies: (routeUrl: string) => boolean;
  onReject?: () => void;
}

/**
 * The API's per-client budget for routes that are not Nest handlers (Swagger UI's page, init
 * script and assets, registered on Fastify directly), so the global guard never saw them. Same
 * key as AppThrottlerGuard's (`rl:default:<tracker>`): one budget per client for everything.
 */
export function installRouteRateLimit(
  fastify: FastifyInstance,
  storage: ThrottlerStorage,
  o: RouteRateLimitOptions,
): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !o.applies(route)) return;
    const ttl = o.windowSeconds * 1000;
    const r = await storage.increment(`rl:default:${rateLimitTracker(request)}`, ttl, o.threshold, ttl, 'default');
    setRateLimitHeaders(
      reply,
      {
        policy: 'default',
        limit: o.threshold,
        windowSeconds: o.windowSeconds,
        remaining: r.isBlocked ? 0 : o.threshold - r.totalHits,
        resetSeconds: r.isBlocked ? r.timeToBlockExpire : r.timeToExpire,
      },
      r.isBlocked,
    );
    if (r.isBlocked) {
      o.onReject?.();
      throw new ThrottlerException(
        `Rate limit of ${o.threshold} requests per ${o.windowSeconds} s exceeded; retry after ${r.timeToBlockExpire} s`,
      );
    }
  });
}
