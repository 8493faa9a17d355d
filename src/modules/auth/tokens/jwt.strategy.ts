import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Jwt } from 'jsonwebtoken';
import { Passport } from 'passport';
import { Strategy } from 'passport-jwt';
import { AccessTokenClaims, AccessTokenService } from './access-token.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Our tokens are ~400 characters; a bigger one is not ours and is not worth decoding. */
const MAX_TOKEN_LENGTH = 4096;
/** Exactly one `Bearer <b64token>` (RFC 6750), case as sent: `bearer x` or `Bearer x x` are refused. */
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/**
 * Strategies register here, not in passport's global registry: several apps live in one
 * process (tests boot two instances side by side), and a global `use('jwt', …)` would let the
 * last one built (with its config and services, perhaps already closed) serve the others.
 * AuthGuard runs its own instance (JwtStrategy.claimsFrom), so nothing looks strategies up by name.
 */
const registry = new Passport();

export function bearerToken(req: { headers: Record<string, string | string[] | undefined> }): string | null {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || auth.length > MAX_TOKEN_LENGTH + 7) return null;
  return BEARER.exec(auth)?.[1] ?? null;
}

/**
 * What jsonwebtoken does not check: the header (no `crit` extension we would ignore, `typ` JWT
 * when present) and the claims we rely on: exp present (jsonwebtoken only checks it when
 * present), jti present, sub and sid uuids (anything else would reach the database as a bad
 * uuid, a 400 instead of a 401). Signature, HS256, iss, aud, exp and nbf are already verified.
 */
export function accessTokenClaims(token: Jwt): AccessTokenClaims | null {
  const { header, payload } = token;
  if (header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT') || 'crit' in header) return null;
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const c = payload as Record<string, unknown>;
  const ok =
    typeof c.exp === 'number' &&
    typeof c.jti === 'string' &&
    typeof c.sub === 'string' &&
    UUID.test(c.sub) &&
    typeof c.sid === 'string' &&
    UUID.test(c.sid);
  return ok ? (c as unknown as AccessTokenClaims) : null;
}

/**
 * passport-jwt over jsonwebtoken: the token from `Authorization: Bearer`, HS256 only (so
 * `alg: none` and algorithm confusion are refused), signature, iss, aud, exp and nbf, then
 * accessTokenClaims. It answers "is this an access token we issued and still valid"; whether
 * its user and session are still live is AuthGuard's business (one cache read for both).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(tokens: AccessTokenService) {
    super({
      jwtFromRequest: bearerToken,
      // jsonwebtoken takes a KeyObject (the fast path); @types/passport-jwt only lists string | Buffer.
      secretOrKey: tokens.secret as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: tokens.issuer,
      audience: tokens.audience,
      // The header too, for accessTokenClaims.
      jsonWebTokenOptions: { complete: true },
    });
  }

  /** null makes passport fail the request (a 401 in AuthGuard). */
  validate(token: Jwt): AccessTokenClaims | null {
    return accessTokenClaims(token);
  }

  getPassportInstance(): InstanceType<typeof Passport> {
    return registry;
  }

  /** The verified claims of the request's bearer token, or null when there is none that is ours and valid. */
  claimsFrom(req: unknown): Promise<AccessTokenClaims | null> {
    return new Promise((resolve, reject) => {
      // A fresh object per request: passport attaches success/fail/error to the strategy it runs,
      // and requests verify concurrently.
      const run = registry.authenticate(
        Object.create(this) as this,
        { session: false },
        (err: unknown, claims: AccessTokenClaims | false) => {
          if (err) reject(err);
          else resolve(claims || null);
        },
      ) as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
      run(req, undefined, reject);
    });
  }
}
