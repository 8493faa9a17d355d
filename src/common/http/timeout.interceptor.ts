import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, throwError, TimeoutError } from 'rxjs';
import { catchError, timeout } from 'rxjs/operators';
import { appConfig, AppConfig } from '../../config/namespaces';
import { NO_TIMEOUT_KEY } from './no-timeout.decorator';

@Injectable()
export class TimeoutInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const exempt = this.reflector.getAllAndOverride<boolean>(NO_TIMEOUT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt) return next.handle();
    return next.handle().pipe(
      timeout(this.app.requestTimeoutMs),
      catchError((err: unknown) =>
        throwError(() =>
          err instanceof TimeoutError
            ? new ServiceUnavailableException(`The request took longer than ${this.app.requestTimeoutMs} ms`)
            : err,
        ),
      ),
    );
  }
}
