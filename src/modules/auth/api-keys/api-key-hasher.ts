import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { authConfig, AuthConfig } from '../../../config/namespaces';

/**
 * API key secrets are 256-bit random, so a fast keyed hash is enough (no brute force is
 * possible) and keeps per-request verification cheap. The key is API_KEY_HMAC_SECRET, or when
 * unset one derived from JWT_SECRET with HKDF-SHA256 (distinct info label, so neither key
 * reveals the other).
 */
@Injectable()
export class ApiKeyHasher {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) cfg: AuthConfig) {
    this.key = cfg.apiKeyHmacSecret
      ? Buffer.from(cfg.apiKeyHmacSecret)
      : Buffer.from(hkdfSync('sha256', cfg.jwtSecret, 'nexcore', 'nexcore api-key hmac v1', 32));
  }

  hash(prefix: string, secret: string): string {
    return createHmac('sha256', this.key).update(`${prefix}.${secret}`).digest('hex');
  }

  /** Constant-time comparison of two hex digests. */
  matches(expectedHex: string | null, actualHex: string): boolean {
    if (!expectedHex) return false;
    const a = Buffer.from(expectedHex, 'hex');
    const b = Buffer.from(actualHex, 'hex');
    return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
  }
}
