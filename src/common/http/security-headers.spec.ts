import { computeSecurityHeaders, HELMET_OPTIONS } from './security-headers';

describe('security headers', () => {
  it('computes helmet headers for the configured CSP once', () => {
    const h = computeSecurityHeaders(HELMET_OPTIONS);
    expect(h['content-security-policy']).toContain("default-src 'self'");
    expect(h['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(h['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['strict-transport-security']).toMatch(/max-age=/);
    expect(h['x-powered-by']).toBeUndefined();
  });

  it('surfaces an invalid helmet configuration at boot', () => {
    expect(() =>
      computeSecurityHeaders({ contentSecurityPolicy: { directives: { 'default-src': ["'self'; script-src *"] } } }),
    ).toThrow();
  });
});
