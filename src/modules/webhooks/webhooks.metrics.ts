import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

export const WEBHOOK_DELIVERIES_TOTAL = 'webhook_deliveries_total';
export const WEBHOOK_ATTEMPT_DURATION = 'webhook_attempt_duration_seconds';
export const WEBHOOK_QUEUE_DEPTH = 'webhook_queue_depth';
export const WEBHOOK_OUTBOX_LAG = 'webhook_outbox_lag_seconds';

export const webhookMetricProviders = [
  makeCounterProvider({
    name: WEBHOOK_DELIVERIES_TOTAL,
    help: 'Webhook delivery attempts by endpoint and outcome (succeeded, retrying, failed)',
    labelNames: ['endpoint', 'outcome'],
  }),
  makeHistogramProvider({
    name: WEBHOOK_ATTEMPT_DURATION,
    help: 'Webhook attempt latency in seconds (request until answer, error or timeout)',
    labelNames: ['outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeGaugeProvider({
    name: WEBHOOK_QUEUE_DEPTH,
    help: 'Webhook jobs waiting, delayed or active on the queue (sampled by the relay)',
    labelNames: ['state'],
  }),
  makeGaugeProvider({
    name: WEBHOOK_OUTBOX_LAG,
    help: 'Age in seconds of the oldest outbox event not yet relayed (sampled by the relay)',
  }),
];
