import { HttpException, HttpStatus, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { REDIS_CLIENT } from '../../../common/redis/redis.module';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { problemBody } from '../../../common/errors/error-code';

/** 429 with the number of seconds until the lockout ends (sent as Retry-After). */
export class LoginLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      problemBody({
        message: `Too many failed logins; retry after ${retryAfterSeconds} s`,
        code: 'login-locked',
        retryAfter: retryAfterSeconds,
      }),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Failed-login counters per email and per IP, in Redis so that every instance sees the same
 * numbers. A fixed window starts at the first attempt; at N failures further attempts get 429
 * until it ends (the password is not even checked). A success clears the email counter.
 *
 * Each attempt *reserves* its slot before the password is checked: one MULTI increments both
 * counters and reads their TTLs, so N concurrent attempts get N distinct counts and only the
 * first `max` may run the hash (a read-then-write-after-the-hash scheme let 40 simultaneous
 * logins check 24 passwords). A failed check keeps the reservation (it is the failure record);
 * a success or a refusal gives the IP slot back. MULTI (not EVAL) so that the embedded
 * MemoryRedis runs the same commands.
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

  /** Counts this attempt as a failure until `release` says otherwise; 429 when over a limit. */
  async reserve(email: string, ip: string): Promise<void> {
    const { maxPerEmail, maxPerIp, windowSeconds } = this.cfg.loginLimiter;
    const windowMs = windowSeconds * 1000;
    const [emailKey, ipKey] = this.keys(email, ip);
    const waits = await this.safely(async () => {
      const replies = (await this.redis
        .multi()
        .incr(emailKey)
        .pexpire(emailKey, windowMs, 'NX')
        .incr(ipKey)
        .pexpire(ipKey, windowMs, 'NX')
        .pttl(emailKey)
        .pttl(ipKey)
        .exec()) as [Error | null, unknown][];
      const failed = replies.find(([err]) => err);
      if (failed) throw failed[0];
      const [[, e], , [, i], , [, eTtl], [, iTtl]] = replies;
      const result: number[] = [];
      if (Number(e) > maxPerEmail) result.push(Number(eTtl));
      if (Number(i) > maxPerIp) result.push(Number(iTtl));
      return result;
    });
    if (!waits?.length) return;
    // A refused attempt checks nothing, so it does not use up the IP's budget (a locked email
    // retried from a shared address must not lock the address). The email counter may stay
    // above the limit: the window is fixed, so that changes nothing.
    await this.refund(ipKey);
    throw new LoginLockedException(Math.max(1, Math.ceil(Math.max(...waits) / 1000)));
  }

  /** The password was right: clear the email's failures and give the IP slot back. */
  async release(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    await this.safely(() => this.redis.del(emailKey));
    await this.refund(ipKey);
  }

  private async refund(key: string): Promise<void> {
    // PEXPIRE NX: if the window ended meanwhile, the -1 left behind must expire too.
    await this.safely(() =>
      this.redis
        .multi()
        .decr(key)
        .pexpire(key, this.cfg.loginLimiter.windowSeconds * 1000, 'NX')
        .exec(),
    );
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
        this.logger.warn(
          `login limiter storage unavailable (fail ${this.cfg.loginLimiter.failMode}): ${(err as Error).message}`,
        );
      }
      if (this.cfg.loginLimiter.failMode === 'closed') {
        throw new ServiceUnavailableException({
          message: 'Login is temporarily unavailable; retry shortly',
          retryAfter: 5,
        });
      }
      return undefined;
    }
  }
}
