import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who/where a request came from, handed to services explicitly (no request-scoped providers). */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | null;
}

export function requestMetaOf(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return {
    requestId: String(req.id ?? ''),
    ip: req.ip ?? 'unknown',
    userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
  };
}

export const ReqMeta = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestMeta =>
    requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
