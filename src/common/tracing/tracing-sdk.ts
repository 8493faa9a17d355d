import { FastifyOtelInstrumentation } from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { IncomingMessage } from 'node:http';
import { requestIdFor } from '../http/request-id';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isQuietPath } from '../http/quiet-paths';

export interface TracingOverrides {
  /** Replace the OTLP exporter (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** Replace the automatic instrumentations (tests that must not patch shared modules). */
  instrumentations?: NodeSDKConfiguration['instrumentations'];
}

/** Probes and scrapes are not traced: they would be most of the traces and tell nothing. */
const quiet = (url: string | undefined) => url !== undefined && isQuietPath(url);

/**
 * The SDK with the four instrumentations nexcore needs: incoming HTTP (the root span, tagged
 * with the request id), Fastify (route and handler spans), pg and ioredis. Database and Redis
 * calls are traced only inside a parent span, so the webhook relay's polling and BullMQ's
 * blocking reads do not each open a trace of their own. Exporter, protocol, headers and sampler
 * come from the standard OTEL_* variables; the SDK's metrics and logs pipelines stay off
 * (metrics are Prometheus, logs are pino on stdout).
 */
export function buildSdk(serviceName: string, overrides: TracingOverrides): NodeSDK {
  const instrumentations = overrides.instrumentations ?? [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => quiet(req.url),
      startIncomingSpanHook: (req) => ({ 'nexcore.request_id': requestIdFor(req as IncomingMessage) }),
    }),
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      // One Fastify span per request: hook spans (six hooks per request here) and a separate
      // handler span would outnumber everything else in a trace and cost throughput (bench:http).
      instrumentHooks: false,
      instrumentHandler: false,
      ignorePaths: (route) => quiet(route.url),
    }),
    // Pool checkouts are not spans of their own: a query span per statement is what is read.
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    // Command names only: arguments are cache keys and values (user ids, cached records).
    new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
  ];
  return new NodeSDK({
    serviceName,
    instrumentations,
    spanProcessors: overrides.spanProcessors,
    metricReaders: [],
    logRecordProcessors: [],
  });
}
