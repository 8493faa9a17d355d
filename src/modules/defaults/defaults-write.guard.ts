import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';

/**
 * Writes need role admin: people via JWT, machine clients via an API key with scope
 * `defaults:write` (the global guard checks that scope because the routes declare it) whose
 * owner is an admin. A JWT carries every scope, so for people the role is what decides; for keys
 * the owner's current role is checked too, so a demoted admin's keys stop writing at once.
 */
@Injectable()
export class DefaultsWriteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!user) return false;
    if (user.kind === 'api-key' && !user.scopes.includes('defaults:write')) return false;
    if (user.role !== 'admin')
      throw new ForbiddenException(
        'Changing defaults needs role admin, or an API key with scope defaults:write owned by an admin',
      );
    return true;
  }
}
