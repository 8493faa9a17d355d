import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { API_BASE_PATH } from '../../common/http/api-version';
import { FEEDBACK_TYPES } from './entities/feedback.entity';

export const FEEDBACK_RECEIVED_TOTAL = 'feedback_received_total';

export const feedbackMetricProviders = [
  makeCounterProvider({
    name: FEEDBACK_RECEIVED_TOTAL,
    help: 'POST /feedback by type and outcome (accepted, 400, 413, 429, or another status)',
    labelNames: ['type', 'outcome'],
  }),
];

export function outcomeOf(status: number): string {
  return status === 200 || status === 201 ? 'accepted' : String(status);
}

/**
 * Counted in a Fastify onResponse hook rather than in the handler, so refusals that never reach
 * the handler (413 from the body parser, 429 from the limiter) are counted too.
 */
@Injectable()
export class FeedbackMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectMetric(FEEDBACK_RECEIVED_TOTAL) private readonly received: Counter<string>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'POST' || request.routeOptions?.url !== `${API_BASE_PATH}/feedback`) return;
      const raw = (request.body as { type?: unknown } | undefined)?.type;
      const type = (FEEDBACK_TYPES as readonly unknown[]).includes(raw) ? String(raw) : 'unknown';
      this.received.inc({ type, outcome: outcomeOf(reply.statusCode) });
    });
  }
}
