import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, Observable, throwError } from 'rxjs';

/** Errors carrying `retryAfter` (seconds) in their response set the Retry-After header. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        const body = (err as { getResponse?: () => unknown }).getResponse?.();
        const retryAfter = body && typeof body === 'object' ? (body as { retryAfter?: unknown }).retryAfter : undefined;
        if (typeof retryAfter === 'number') {
          context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
        }
        return throwError(() => err);
      }),
    );
  }
}
