import { int, bool, list, VarSpec } from './kinds';

/** Environment variables of the `webhooks` group (see ../env.schema.ts). */
export const WEBHOOKS_VARS = {
  WEBHOOK_TIMEOUT_MS: int({
    group: 'webhooks',
    default: 10000,
    min: 100,
    max: 60000,
    doc: 'A delivery succeeds only with a 2xx answer within this time',
  }),
  WEBHOOK_RETRY_SCHEDULE: list({
    group: 'webhooks',
    default: ['0', '5', '300', '1800', '7200', '18000', '36000', '36000'],
    itemPattern: /^\d{1,6}$/,
    doc: 'Delay in seconds before each attempt (comma-separated); its length is the number of attempts',
  }),
  WEBHOOK_DISABLE_AFTER_HOURS: int({
    group: 'webhooks',
    default: 120,
    min: 1,
    max: 8760,
    doc: 'An endpoint failing without a success for this long is disabled (audited)',
  }),
  WEBHOOK_SECRET_OVERLAP_SECONDS: int({
    group: 'webhooks',
    default: 86400,
    min: 0,
    max: 2592000,
    doc: 'After rotate-secret the previous secret also signs deliveries this long',
  }),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool({
    group: 'webhooks',
    default: false,
    doc: 'Let webhook URLs reach loopback/private addresses (tests and trusted networks only)',
  }),
  WEBHOOK_ALLOWED_HOSTS: list({
    group: 'webhooks',
    default: [],
    doc: 'Host names exempt from the SSRF address check for webhook URLs',
  }),
  WEBHOOK_RELAY_INTERVAL_MS: int({
    group: 'webhooks',
    default: 1000,
    min: 50,
    max: 60000,
    doc: 'How often the outbox relay moves events and due retries to the queue',
  }),
  WEBHOOK_RELAY_BATCH_SIZE: int({
    group: 'webhooks',
    default: 100,
    min: 1,
    max: 5000,
    doc: 'Outbox rows (and due deliveries) moved per relay pass',
  }),
  WEBHOOK_CONCURRENCY: int({
    group: 'webhooks',
    default: 10,
    min: 1,
    max: 200,
    doc: 'Webhook deliveries in flight per worker process',
  }),
  WEBHOOK_STALLED_INTERVAL_MS: int({
    group: 'webhooks',
    default: 30000,
    min: 1000,
    max: 600000,
    doc: 'Lock of a delivery job, and how often workers look for jobs whose worker died (lock lost) to run them again',
  }),
  WEBHOOK_RETENTION_DAYS: int({
    group: 'webhooks',
    default: 30,
    min: 1,
    max: 3650,
    doc: 'Relayed outbox events and finished deliveries (with their attempts) are deleted after this many days',
  }),
} as const satisfies Record<string, VarSpec>;
