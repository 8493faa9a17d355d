import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildPinoHttpOptions } from '../logging/pino-options';
import { inJobSpan, traceCarrier } from './job-trace';
import { startTracing, stopTracing, tracingEnabled } from './tracing';

const env = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: 'nexcore-unit' };

function captured() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { lines, stream };
}

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('starts nothing: no SDK, no log mixin, no trace context stored in jobs', async () => {
    expect(startTracing(env)).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(buildPinoHttpOptions({ env: 'production', logLevel: 'info' }).mixin).toBeUndefined();
    expect(traceCarrier()).toBeUndefined();
    await expect(inJobSpan('job', undefined, {}, async () => 42)).resolves.toBe(42);
  });
});

describe('tracing on (in-memory exporter, no instrumentation patches)', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    // Instrumentations are left out: they would patch modules shared with the other test files.
    expect(startTracing(env, { spanProcessors: [new SimpleSpanProcessor(exporter)], instrumentations: [] })).toBe(true);
  });
  afterAll(() => stopTracing());

  it('a job queued inside a request span runs in a child span of it, in the same trace', async () => {
    const tracer = trace.getTracer('unit');
    let carrier: ReturnType<typeof traceCarrier>;
    const request = tracer.startActiveSpan('POST /sources', (span) => {
      carrier = traceCarrier();
      span.end();
      return span.spanContext();
    });
    expect(carrier!.traceparent).toMatch(new RegExp(`^00-${request.traceId}-${request.spanId}-01$`));
    await inJobSpan('ingestion.crawl', carrier, { 'nexcore.job_id': 'j1' }, async () => {
      tracer.startSpan('pg.query').end();
    });
    const spans = exporter.getFinishedSpans();
    const job = spans.find((s) => s.name === 'ingestion.crawl')!;
    const query = spans.find((s) => s.name === 'pg.query')!;
    expect(job.spanContext().traceId).toBe(request.traceId);
    expect(job.parentSpanContext?.spanId).toBe(request.spanId);
    expect(job.attributes['nexcore.job_id']).toBe('j1');
    expect(query.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    expect(job.resource.attributes['service.name']).toBe('nexcore-unit');
  });

  it('a failing job ends its span with an error status and the exception', async () => {
    await expect(inJobSpan('failing', undefined, {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const span = exporter.getFinishedSpans().find((s) => s.name === 'failing')!;
    expect(span.status).toMatchObject({ code: 2, message: 'boom' });
    expect(span.events.map((e) => e.name)).toContain('exception');
  });

  it('log lines written inside a span carry its trace_id and span_id; lines outside carry none', () => {
    const options = buildPinoHttpOptions({ env: 'production', logLevel: 'info' });
    expect(options.mixin).toBeDefined();
    const { lines, stream } = captured();
    const logger = pino({ level: 'info', mixin: options.mixin }, stream);
    logger.info('outside');
    const ctx = trace.getTracer('unit').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ msg: 'inside', trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: '01' });
  });
});
