import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { signHs256, verifyHs256Signature } from './hs256';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  jti: string;
  iss: string;
  aud: string | string[];
  exp: number;
  iat: number;
}

/**
 * HS256 JWTs signed with JWT_SECRET. Verification pins the algorithm (so `alg: none` and
 * algorithm confusion are refused), checks the signature in constant time, then iss, aud,
 * exp (and nbf when present), and insists that sub, sid, jti and exp are there (sub and sid
 * as uuids).
 */
@Injectable()
export class AccessTokenService {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) private readonly cfg: AuthConfig) {
    this.key = Buffer.from(cfg.jwtSecret, 'utf8');
  }

  get lifetimeSeconds(): number {
    return this.cfg.accessTokenTtlSeconds;
  }

  sign(userId: string, sessionId: string): string {
    const iat = Math.floor(Date.now() / 1000);
    return signHs256(
      { sub: userId, sid: sessionId, jti: randomUUID(), iss: this.cfg.issuer, aud: this.cfg.audience, iat, exp: iat + this.cfg.accessTokenTtlSeconds },
      this.key,
    );
  }

  /** The claims, or null when the token is not one we issued and still valid. */
  verify(token: string): AccessTokenClaims | null {
    const c = verifyHs256Signature(token, this.key);
    if (!c) return null;
    const now = Math.floor(Date.now() / 1000);
    const audOk = c.aud === this.cfg.audience || (Array.isArray(c.aud) && c.aud.includes(this.cfg.audience));
    const ok =
      c.iss === this.cfg.issuer &&
      audOk &&
      typeof c.exp === 'number' &&
      now < c.exp &&
      (c.nbf === undefined || (typeof c.nbf === 'number' && c.nbf <= now)) &&
      // Ids we issued are uuids; anything else would reach the database as a bad uuid (a 400).
      typeof c.sub === 'string' &&
      UUID.test(c.sub) &&
      typeof c.sid === 'string' &&
      UUID.test(c.sid) &&
      typeof c.jti === 'string';
    return ok ? (c as unknown as AccessTokenClaims) : null;
  }
}
