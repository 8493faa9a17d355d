import { setRateLimitHeaders } from './rate-limit-headers';

function sink() {
  const headers: Record<string, string | number> = {};
  return { headers, header: (name: string, value: string | number) => (headers[name] = value) };
}

describe('setRateLimitHeaders', () => {
  it('writes the IETF draft fields and the X-RateLimit trio for the API budget', () => {
    const s = sink();
    setRateLimitHeaders(s, { policy: 'default', limit: 100, windowSeconds: 60, remaining: 42, resetSeconds: 30 });
    expect(s.headers).toEqual({
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=42;t=30',
      'X-RateLimit-Limit': 100,
      'X-RateLimit-Remaining': 42,
      'X-RateLimit-Reset': 30,
    });
  });

  it('on refusal adds Retry-After (at least 1 s) and never a negative remaining', () => {
    const s = sink();
    setRateLimitHeaders(
      s,
      { policy: 'auth-failures', limit: 3, windowSeconds: 30, remaining: -2, resetSeconds: 0.2 },
      true,
    );
    expect(s.headers).toEqual({
      'RateLimit-Policy': '"auth-failures";q=3;w=30',
      RateLimit: '"auth-failures";r=0;t=1',
      'Retry-After': 1,
    });
  });
});
