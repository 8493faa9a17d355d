import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { rateLimitConfig, RateLimitConfig } from '../../config/namespaces';
import { RATE_LIMIT_REJECTIONS_TOTAL } from '../metrics/metric-names';
import { RATE_LIMIT_STORAGE } from './rate-limit-storage.token';
import { setRateLimitHeaders } from './rate-limit-headers';

export const AUTH_FAILURE_POLICY = 'auth-failures';
/** Addresses remembered as blocked; beyond it the oldest entry goes (memory stays bounded under a spoofed-address flood). */
const MAX_BLOCKED = 10000;

/** IPv6 clients usually hold a whole /64: counting single addresses would let one rotate through it. */
function addressKey(ip: string | undefined): string {
  return ip ? normalizeIp(ip) : 'unknown';
}

interface HeaderSink {
  header(name: string, value: string | number): unknown;
}

/**
 * A per-IP budget of failed (or missing) authentications. The auth guard runs before the
 * general limiter (which needs the principal), so without this a flood of random keys or
 * tokens only ever got 401s, each costing a cache read and a database query.
 *
 * Failures are counted in the shared rate-limit storage (Redis: all instances add up). Once an
 * address has spent its budget the block is remembered in process memory, so refusing it costs
 * no I/O at all; another instance learns of the block at that address's next failure there.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(rateLimitConfig.KEY) private readonly cfg: RateLimitConfig,
    @InjectMetric(RATE_LIMIT_REJECTIONS_TOTAL) private readonly rejections: Counter<string>,
  ) {}

  /** Throws a 429 (with Retry-After and RateLimit headers) while `ip` is blocked. No I/O. */
  assertAllowed(ip: string | undefined, reply: HeaderSink, now = Date.now()): void {
    const key = addressKey(ip);
    const until = this.blockedUntil.get(key);
    if (until === undefined) return;
    if (until <= now) {
      this.blockedUntil.delete(key);
      return;
    }
    const seconds = Math.ceil((until - now) / 1000);
    this.rejections.inc();
    setRateLimitHeaders(reply, this.state(0, seconds), true);
    throw new ThrottlerException(`Too many failed authentications from this address; retry after ${seconds} s`);
  }

  /** Counts one failure of `ip`; when that spends the budget, later requests are refused up front. */
  async recordFailure(ip: string | undefined, reply: HeaderSink, now = Date.now()): Promise<void> {
    const key = addressKey(ip);
    const { authFailureLimit: limit, authFailureWindowSeconds: window } = this.cfg;
    const ttl = window * 1000;
    const r = await this.storage.increment(`rl:${AUTH_FAILURE_POLICY}:ip:${key}`, ttl, limit, ttl, AUTH_FAILURE_POLICY);
    const resetSeconds = r.isBlocked ? r.timeToBlockExpire : r.timeToExpire;
    setRateLimitHeaders(reply, this.state(r.isBlocked ? 0 : limit - r.totalHits, resetSeconds));
    if (r.isBlocked || r.totalHits >= limit) this.block(key, now + Math.max(1, resetSeconds) * 1000);
  }

  private block(key: string, until: number): void {
    this.blockedUntil.delete(key);
    if (this.blockedUntil.size >= MAX_BLOCKED) {
      const oldest = this.blockedUntil.keys().next().value;
      if (oldest !== undefined) this.blockedUntil.delete(oldest);
    }
    this.blockedUntil.set(key, until);
  }

  private state(remaining: number, resetSeconds: number) {
    return {
      policy: AUTH_FAILURE_POLICY,
      limit: this.cfg.authFailureLimit,
      windowSeconds: this.cfg.authFailureWindowSeconds,
      remaining,
      resetSeconds,
    };
  }
}
