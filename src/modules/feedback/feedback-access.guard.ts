import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { feedbackConfig, FeedbackConfig } from '../../config/namespaces';

/** Runs after the global guards: without a principal, only FEEDBACK_ALLOW_ANONYMOUS lets a request in. */
@Injectable()
export class FeedbackAccessGuard implements CanActivate {
  constructor(@Inject(feedbackConfig.KEY) private readonly cfg: FeedbackConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ user?: unknown }>();
    if (req.user || this.cfg.allowAnonymous) return true;
    throw new UnauthorizedException('Authentication required: send a Bearer token or an X-API-Key with feedback:write');
  }
}
