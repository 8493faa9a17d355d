import { ApiKeyHasher } from './api-key-hasher';
import type { AuthConfig } from '../../../config/namespaces';

const cfg = (over: Partial<AuthConfig>) => ({ jwtSecret: 'j'.repeat(40), apiKeyHmacSecret: '', ...over }) as AuthConfig;

describe('ApiKeyHasher', () => {
  it('derives a key from JWT_SECRET when API_KEY_HMAC_SECRET is empty, and uses the explicit one otherwise', () => {
    const derived = new ApiKeyHasher(cfg({}));
    const explicit = new ApiKeyHasher(cfg({ apiKeyHmacSecret: 'k'.repeat(40) }));
    expect(derived.hash('p', 's')).toMatch(/^[0-9a-f]{64}$/);
    expect(derived.hash('p', 's')).not.toBe(explicit.hash('p', 's'));
    expect(new ApiKeyHasher(cfg({ jwtSecret: 'x'.repeat(40) })).hash('p', 's')).not.toBe(derived.hash('p', 's'));
  });

  it('matches only the identical digest', () => {
    const h = new ApiKeyHasher(cfg({}));
    const d = h.hash('p', 's');
    expect(h.matches(d, d)).toBe(true);
    expect(h.matches(d, h.hash('p', 't'))).toBe(false);
    expect(h.matches(null, d)).toBe(false);
    expect(h.matches(d, 'abc')).toBe(false);
  });
});
