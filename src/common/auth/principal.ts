export type Role = 'user' | 'admin';
export const ROLES: readonly Role[] = ['user', 'admin'];

/**
 * Who is calling, as established by the global auth guard (JWT or API key) and put on
 * `request.user`. Feature modules depend on this shape only, never on how it was proven.
 */
export interface Principal {
  kind: 'user' | 'api-key';
  /** The user who owns the request (for an API key: the key's owner). */
  userId: string;
  role: Role;
  /** API-key scopes; users authenticated by JWT have every scope their role allows. */
  scopes: string[];
  apiKeyId?: string;
  sessionId?: string;
  /** The rate limiter counts requests against this instead of the IP. */
  rateLimitKey: string;
  /** When the credential stops being valid (epoch ms): the access token's exp; none for API keys. */
  expiresAt?: number;
  /**
   * Re-runs the credential checks that do not live in the credential itself (owner disabled or
   * erased, API key revoked or expired). Long-lived responses (event streams) call it now and
   * then; a request that ends at once never needs it.
   */
  stillValid?: () => Promise<boolean>;
}
