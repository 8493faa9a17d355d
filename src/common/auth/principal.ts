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
}
