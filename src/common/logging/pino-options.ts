import type { Options } from 'pino-http';
import { AppConfig } from '../../config/namespaces';
import { traceLogFields } from '../tracing/trace-log-fields';
import { tracingEnabled } from '../tracing/tracing';

/** Credentials that must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.apiKey',
];

/**
 * Options of the root pino logger (nestjs-pino builds it; request logging is in request-logging.ts).
 * With tracing on, every line written inside a span also gets its trace_id and span_id.
 */
export function buildPinoHttpOptions(app: Pick<AppConfig, 'env' | 'logLevel'>, tracing = tracingEnabled()): Options {
  return {
    level: app.logLevel,
    mixin: tracing ? traceLogFields : undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: app.env === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}
