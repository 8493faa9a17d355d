import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';

/**
 * Writes need role admin (people, via JWT) or an API key with scope `defaults:write` (the
 * global guard checks that scope because the routes declare it). A JWT carries every scope, so
 * for people the role is what decides.
 */
@Injectable()
export class DefaultsWriteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!user) return false;
    if (user.kind === 'api-key') return user.scopes.includes('defaults:write');
    if (user.role !== 'admin')
      throw new ForbiddenException('Changing defaults needs role admin or an API key with scope defaults:write');
    return true;
  }
}
