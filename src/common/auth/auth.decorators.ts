import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity } from '@nestjs/swagger';
import { Public as PublicRoute } from '../http/public.decorator';
import type { Principal, Role } from './principal';
import type { ApiKeyScope } from './scopes';

export { Public, IS_PUBLIC_KEY } from '../http/public.decorator';

export const ROLES_KEY = 'nexcore:roles';
export const SCOPES_KEY = 'nexcore:scopes';
export const OPTIONAL_AUTH_KEY = 'nexcore:optionalAuth';

/**
 * A public route that still authenticates credentials when they are sent: no credentials means
 * an anonymous request (no principal); credentials that are sent must be valid (401 otherwise)
 * and pass @Roles/@RequireScopes like anywhere else. The rate limiter then keys on the
 * principal when there is one, else on the IP.
 */
export const OptionalAuth = () => applyDecorators(PublicRoute(), SetMetadata(OPTIONAL_AUTH_KEY, true));

/** Only principals with one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * API keys must carry every listed scope (403 otherwise). Users logged in with a JWT pass:
 * scopes restrict machine clients, roles restrict people.
 */
export const RequireScopes = (...scopes: ApiKeyScope[]) => SetMetadata(SCOPES_KEY, scopes);

export interface AuthOptions {
  /** Only these roles (403 otherwise). */
  roles?: Role[];
  /** API keys need every one of these; without scopes a route answers user tokens only. */
  scopes?: ApiKeyScope[];
  /** Anonymous callers are let through; credentials that are sent are still checked. */
  optional?: boolean;
  /**
   * The documented 403, for routes that refuse for more than their roles (role routes get one
   * derived from the roles). Scope refusals are not listed per route: the scope is in the summary.
   */
  forbidden?: string;
}

const ROLE_NAMES: Record<Role, string> = { user: 'a user', admin: 'an admin' };

function forbiddenDescription({ roles, forbidden }: AuthOptions): string | undefined {
  if (forbidden) return forbidden;
  if (roles?.length) return `Caller is not ${roles.map((r) => ROLE_NAMES[r]).join(' or ')}`;
  return undefined;
}

/**
 * The one way a controller states who may call it: the guard's metadata (roles, API-key scopes,
 * optional auth) and the matching Swagger security and 403 answer, so the docs cannot drift from
 * what the global AuthGuard enforces. Put it on the class or on the method, not both: Swagger
 * concatenates class and method security. Routes without it still need a user token (default
 * deny); `@Public()` opens a route.
 */
export function Auth(options: AuthOptions = {}): ClassDecorator & MethodDecorator {
  const { roles, scopes, optional } = options;
  const forbidden = forbiddenDescription(options);
  return applyDecorators(
    ...(optional ? [OptionalAuth()] : []),
    ...(roles?.length ? [Roles(...roles)] : []),
    ...(scopes?.length ? [RequireScopes(...scopes), ApiSecurity('api-key')] : []),
    ApiBearerAuth(),
    ...(forbidden ? [ApiForbiddenResponse({ description: forbidden })] : []),
  );
}

/** The authenticated principal of the request (undefined on public routes). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<{ user?: Principal }>().user,
);
