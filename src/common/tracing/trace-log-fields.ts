import { trace } from '@opentelemetry/api';

/**
 * pino mixin: the active span's ids on every log line written inside it, under the names the
 * OpenTelemetry log data model and most backends join on. Installed only when tracing is on,
 * so a process without tracing does not pay for the lookup on every line.
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}
