import { ThrottlerStorageService } from '@nestjs/throttler';
import { Counter, Registry } from 'prom-client';
import { FailedAuthLimiter } from './failed-auth-limiter';

function sink() {
  const headers: Record<string, string | number> = {};
  return { headers, header: (name: string, value: string | number) => (headers[name] = value) };
}

describe('FailedAuthLimiter', () => {
  let storage: ThrottlerStorageService;
  let limiter: FailedAuthLimiter;

  beforeEach(() => {
    storage = new ThrottlerStorageService();
    const rejections = new Counter({ name: 'r', help: 'h', registers: [new Registry()] });
    limiter = new FailedAuthLimiter(
      storage,
      { threshold: 100, windowSeconds: 60, authFailureLimit: 2, authFailureWindowSeconds: 60 },
      rejections,
    );
  });
  afterEach(() => storage.onApplicationShutdown());

  it('refuses an address up front once its budget is spent, with Retry-After and the policy headers', async () => {
    expect(() => limiter.assertAllowed('198.51.100.7', sink())).not.toThrow();
    await limiter.recordFailure('198.51.100.7', sink());
    expect(() => limiter.assertAllowed('198.51.100.7', sink())).not.toThrow();
    await limiter.recordFailure('198.51.100.7', sink());
    const reply = sink();
    expect(() => limiter.assertAllowed('198.51.100.7', reply)).toThrow(/Too many failed authentications/);
    expect(reply.headers['Retry-After']).toBeGreaterThan(0);
    expect(reply.headers['RateLimit-Policy']).toBe('"auth-failures";q=2;w=60');
    expect(() => limiter.assertAllowed('198.51.100.8', sink())).not.toThrow();
  });

  it('forgets the block when it has expired', async () => {
    await limiter.recordFailure('198.51.100.9', sink(), 0);
    await limiter.recordFailure('198.51.100.9', sink(), 0);
    expect(() => limiter.assertAllowed('198.51.100.9', sink(), 61_000)).not.toThrow();
  });

  it('counts an IPv6 /64 as one client', async () => {
    await limiter.recordFailure('2001:db8:1:2::1', sink());
    await limiter.recordFailure('2001:db8:1:2::ffff', sink());
    expect(() => limiter.assertAllowed('2001:db8:1:2:aaaa::1', sink())).toThrow();
    expect(() => limiter.assertAllowed('2001:db8:1:3::1', sink())).not.toThrow();
  });
});
