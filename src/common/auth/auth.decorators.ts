import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Public as PublicRoute } from '../http/public.decorator';
import type { Principal, Role } from './principal';

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
export const RequireScopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, scopes);

/** The authenticated principal of the request (undefined on public routes). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest<{ user?: Principal }>().user,
);
