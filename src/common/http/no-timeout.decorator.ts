import { RouteConfig } from '@nestjs/platform-fastify';

/** Long-lived responses (SSE streams) opt out of the request timeout (see request-timeout.ts). */
export const NoTimeout = () => RouteConfig({ noTimeout: true });
