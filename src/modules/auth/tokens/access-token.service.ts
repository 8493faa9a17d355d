import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { authConfig, AuthConfig } from '../../../config/namespaces';

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
 * HS256 JWTs. Verification pins the algorithm (so `alg: none` and RS/ES confusion are refused),
 * checks signature, iss, aud and exp, and insists that sub, sid, jti and exp are present.
 */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  get lifetimeSeconds(): number {
    return this.cfg.accessTokenTtlSeconds;
  }

  sign(userId: string, sessionId: string): string {
    return this.jwt.sign(
      { sid: sessionId },
      {
        secret: this.cfg.jwtSecret,
        algorithm: 'HS256',
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
        subject: userId,
        jwtid: randomUUID(),
        expiresIn: this.cfg.accessTokenTtlSeconds,
      },
    );
  }

  /** The claims, or null when the token is not one we issued and still valid. */
  verify(token: string): AccessTokenClaims | null {
    try {
      const claims = this.jwt.verify<AccessTokenClaims>(token, {
        secret: this.cfg.jwtSecret,
        algorithms: ['HS256'],
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
      });
      const ok =
        typeof claims.sub === 'string' &&
        typeof claims.sid === 'string' &&
        typeof claims.jti === 'string' &&
        typeof claims.exp === 'number';
      return ok ? claims : null;
    } catch {
      return null;
    }
  }
}
