import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, Attributes } from '@opentelemetry/api';
import { tracingEnabled } from './tracing';

/** W3C trace context (traceparent/tracestate) stored with a queued job. */
export type TraceCarrier = Record<string, string>;

/** The active trace context, to store in a job's data; undefined when tracing is off. */
export function traceCarrier(): TraceCarrier | undefined {
  if (!tracingEnabled()) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length ? carrier : undefined;
}

/**
 * Runs a job inside a consumer span whose parent is the request that queued it, so the crawl
 * (and its pg/Redis calls) lands in the same trace as the HTTP request. With tracing off it
 * only calls fn.
 */
export function inJobSpan<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return fn();
  const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  return trace
    .getTracer('nexcore')
    .startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
      try {
        return await fn();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    });
}
