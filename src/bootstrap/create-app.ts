import compress from '@fastify/compress';
import { RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { getToken } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { API_PREFIX, API_VERSION } from '../common/http/api-version';
import { REQUEST_ID_HEADER, requestIdFor } from '../common/http/request-id';
import { installAuthChallenge } from '../common/http/auth-challenge';
import { answerFrameworkError } from '../common/http/framework-errors';
import { installJsonOnlyBodies } from '../common/http/json-only';
import { installMethodNotAllowed } from '../common/http/method-not-allowed';
import { installJsonDepthLimit } from '../common/http/json-depth';
import { installRequestTimeout } from '../common/http/request-timeout';
import { installSecurityHeaders, securityHeaders } from '../common/http/security-headers';
import { isDraining } from '../common/http/stop-accepting';
import { installRequestLogging } from '../common/logging/request-logging';
import { RATE_LIMIT_STORAGE } from '../common/throttling/rate-limit-storage.token';
import { installRouteRateLimit } from '../common/throttling/route-rate-limit';
import { RATE_LIMIT_REJECTIONS_TOTAL } from '../common/metrics/metric-names';
import { loadEnv } from '../config/env';
import { Env } from '../config/env.schema';
import { setupSwagger } from './swagger';
import { serveWebClient } from './web-client';

export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-API-Key',
  'X-Request-Id',
  'If-Match',
  'Idempotency-Key',
];
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'Retry-After',
  'ETag',
  'RateLimit',
  'RateLimit-Policy',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'WWW-Authenticate',
  'Allow',
];

/**
 * A hop count, never `true`: trusting every X-Forwarded-For entry would make the leftmost one,
 * which the client writes itself, its IP (and rate-limit identity). A hop count trusts only the
 * entries our own proxies append: the client IP is the one TRUST_PROXY_HOPS places from the right.
 */
export function trustProxySetting(env: Pick<Env, 'TRUST_PROXY' | 'TRUST_PROXY_HOPS'>): number | false {
  return env.TRUST_PROXY ? env.TRUST_PROXY_HOPS : false;
}

export function createAdapter(env: Env): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: env.MAX_PAYLOAD_SIZE_MB * 1024 * 1024,
    trustProxy: trustProxySetting(env),
    genReqId: requestIdFor,
    requestIdHeader: false,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
  });
}

/** `/api/v1/...` (API_BASE_PATH) for every route but the Prometheus scrape at `/metrics`. */
export function applyRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'docs/json', method: RequestMethod.GET },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: API_VERSION });
}

/** Everything that is adapter-level rather than a Nest provider; shared by main, tests and scripts. */
export async function configureApp(app: NestFastifyApplication, env: Env): Promise<void> {
  // Before any route is registered: it learns the routes through onRoute.
  installMethodNotAllowed(app.getHttpAdapter().getInstance());
  applyRouting(app);
  // First: its onSend hook must run before compression's (see request-timeout.ts).
  installRequestTimeout(app.getHttpAdapter().getInstance(), env.REQUEST_TIMEOUT_MS);
  await app.register(compress, { threshold: env.COMPRESSION_THRESHOLD_BYTES, encodings: ['br', 'gzip'] });
  const allowed = new Set(env.CORS_ORIGINS);
  app.enableCors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  installSecurityHeaders(fastify);
  // The adapter's CORS hook runs before these and answers preflights itself, so those replies
  // missed the request id and security headers; they are added when the reply is sent.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader(REQUEST_ID_HEADER)) reply.header(REQUEST_ID_HEADER, request.id).headers(securityHeaders());
    done(null, payload);
  });
  // While closing, responses to in-flight requests end their keep-alive connection, so the
  // server's close (and so SIGTERM) does not wait for idle keep-alive timeouts.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing || isDraining(fastify)) reply.header('connection', 'close');
    done(null, payload);
  });
  installJsonOnlyBodies(fastify);
  installJsonDepthLimit(fastify);
  installAuthChallenge(fastify);
  installRequestLogging(fastify);
  // Before Swagger registers its routes. /docs/json is a Nest route, limited by the guard.
  installRouteRateLimit(fastify, app.get<ThrottlerStorage>(RATE_LIMIT_STORAGE), {
    threshold: env.RATE_LIMIT_THRESHOLD,
    windowSeconds: env.TIME_WINDOW_SECONDS,
    applies: (route) => route.startsWith('/docs') && route !== '/docs/json',
    onReject: () => app.get<Counter<string>>(getToken(RATE_LIMIT_REJECTIONS_TOTAL)).inc(),
  });
  setupSwagger(app);
  await serveWebClient(app);
}

/**
 * Builds the application exactly as production runs it. The environment is validated first,
 * so a bad configuration stops here with every problem listed, before any module starts.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const env = loadEnv();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createAdapter(env), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await configureApp(app, env);
  return app;
}
