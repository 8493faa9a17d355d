import { HttpException, HttpStatus, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { REDIS_CLIENT } from '../../../common/redis/redis.module';
import { authConfig, AuthConfig } from '../../../config/namespaces';

/** 429 with the number of seconds until the lockout ends (sent as Retry-After). */
export class LoginLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: `Too many failed logins; retry after ${retryAfterSeconds} s`, code: 'login-locked', retryAfter: retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Failed-login counters per email and per IP, in Redis so that every instance sees the same
 * numbers. A fixed window starts at the first failure; at N failures further attempts get 429
 * until it ends (the password is not even checked). A success clears the email counter.
 *
 * Redis down: LOGIN_LIMITER_FAIL_MODE=open (default) lets the attempt through and logs the
 * outage once, closed answers 503 + Retry-After. Never a 500.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly logger = new Logger('LoginLimiter');
  private degraded = false;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  async assertAllowed(email: string, ip: string): Promise<void> {
    const { maxPerEmail, maxPerIp } = this.cfg.loginLimiter;
    const [emailKey, ipKey] = this.keys(email, ip);
    const result = await this.safely(async () => {
      const [[, e], [, i], [, eTtl], [, iTtl]] = (await this.redis
        .multi()
        .get(emailKey)
        .get(ipKey)
        .pttl(emailKey)
        .pttl(ipKey)
        .exec()) as [Error | null, unknown][];
      const waits: number[] = [];
      if (Number(e ?? 0) >= maxPerEmail) waits.push(Number(eTtl));
      if (Number(i ?? 0) >= maxPerIp) waits.push(Number(iTtl));
      return waits;
    });
    if (result === undefined) return;
    if (result.length) throw new LoginLockedException(Math.max(1, Math.ceil(Math.max(...result) / 1000)));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const windowMs = this.cfg.loginLimiter.windowSeconds * 1000;
    const tx = this.redis.multi();
    for (const key of this.keys(email, ip)) tx.incr(key).pexpire(key, windowMs, 'NX');
    await this.safely(() => tx.exec());
  }

  async recordSuccess(email: string): Promise<void> {
    await this.safely(() => this.redis.del(this.keys(email, '')[0]));
  }

  private keys(email: string, ip: string): [string, string] {
    // Hashed so that addresses do not sit in Redis in clear text.
    const e = createHash('sha256').update(email).digest('hex').slice(0, 32);
    return [`auth:login-fail:email:${e}`, `auth:login-fail:ip:${ip}`];
  }

  private async safely<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await call();
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('login limiter storage reachable again');
      }
      return value;
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`login limiter storage unavailable (fail ${this.cfg.loginLimiter.failMode}): ${(err as Error).message}`);
      }
      if (this.cfg.loginLimiter.failMode === 'closed') {
        throw new ServiceUnavailableException({ message: 'Login is temporarily unavailable; retry shortly', retryAfter: 5 });
      }
      return undefined;
    }
  }
}
