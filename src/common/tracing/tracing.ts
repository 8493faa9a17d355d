import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { Env } from '../../config/env.schema';
import { settlesWithin } from '../async/deadline';
import type { TracingOverrides } from './tracing-sdk';

type TracingEnv = Pick<Env, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>;

let sdk: NodeSDK | undefined;

/** Whether an OpenTelemetry SDK runs in this process (log lines then carry trace ids). */
export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

/**
 * Starts the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing at all
 * otherwise: the SDK is not even loaded, so a process without tracing pays nothing for it.
 * It must run before http, fastify, pg and ioredis are first required (the instrumentations
 * patch them as they load), which is why bootstrap/preload.ts calls it.
 */
export function startTracing(env: TracingEnv, overrides: TracingOverrides = {}): boolean {
  if (sdk) return true;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !overrides.spanProcessors) return false;
  // Loaded here, not imported at the top, so that with tracing off none of it is loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = buildSdk(env.OTEL_SERVICE_NAME, overrides);
  sdk.start();
  return true;
}

/** Flushes buffered spans and stops the SDK (on shutdown; bounded so a dead collector cannot hold the exit). */
export async function stopTracing(timeoutMs = 2000): Promise<void> {
  const current = sdk;
  sdk = undefined;
  if (!current) return;
  await settlesWithin(current.shutdown(), timeoutMs);
}
