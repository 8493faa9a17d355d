import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './principal';

export { Public, IS_PUBLIC_KEY } from '../http/public.decorator';

export const ROLES_KEY = 'nexcore:roles';
export const SCOPES_KEY = 'nexcore:scopes';

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
