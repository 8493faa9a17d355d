import { oneOf, str, url, VarSpec } from './kinds';

/**
 * Environment variables of the `tracing` group (see ../env.schema.ts). They keep the standard
 * OpenTelemetry names, so the SDK and collectors read them as documented upstream; the other
 * OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, …)
 * are read by the SDK itself.
 */
export const TRACING_VARS = {
  OTEL_EXPORTER_OTLP_ENDPOINT: url({
    group: 'tracing',
    default: '',
    protocols: ['http:', 'https:'],
    doc: 'OTLP collector base URL (traces go to <url>/v1/traces); empty turns tracing off entirely (no SDK started)',
  }),
  OTEL_EXPORTER_OTLP_PROTOCOL: oneOf({
    group: 'tracing',
    values: ['http/protobuf', 'http/json', 'grpc'] as const,
    default: 'http/protobuf',
    doc: 'OTLP transport of the trace exporter',
  }),
  OTEL_SERVICE_NAME: str({
    group: 'tracing',
    default: 'nexcore',
    minLength: 1,
    pattern: /^[A-Za-z0-9._-]{1,100}$/,
    doc: 'service.name resource attribute of every span',
  }),
} as const satisfies Record<string, VarSpec>;
