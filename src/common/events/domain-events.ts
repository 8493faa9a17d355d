/**
 * Every domain event nexcore raises, with its payload: the one list that webhook subscriptions,
 * the outbox and in-process listeners are typed against. Adding an event means adding it to
 * `DomainEvents` and `DOMAIN_EVENT_DESCRIPTIONS` here (the compiler asks for both) and naming
 * it in docs/webhooks.md (a unit test checks that list).
 */

/** `feedback.received`: the stored feedback record, as the API returns it. */
export interface FeedbackReceived {
  id: string;
  type: string;
  message: string;
  rating: number | null;
  contact: string | null;
  appVersion: string | null;
  metadata: Record<string, unknown> | null;
  status: string;
  userId: string | null;
  createdAt: Date;
}

export interface IngestionJobCounters {
  discovered: number;
  fetched: number;
  indexed: number;
  unchanged: number;
  skipped: { robots: number; duplicate: number; type: number; size: number; depth: number; error: number };
}

/** `ingestion.completed` / `ingestion.failed`: the ended job; `error` only when it failed. */
export interface IngestionJobEnded {
  sourceId: string;
  jobId: string;
  userId: string | null;
  counters: IngestionJobCounters;
  error?: string | null;
}

/** `defaults.changed`: raised by writes (PUT, DELETE, batch) only; feedback changes counters, not values. */
export interface DefaultsChanged {
  key: string;
  context: string;
  action: 'upsert' | 'delete';
}

export interface DomainEvents {
  'feedback.received': FeedbackReceived;
  'ingestion.completed': IngestionJobEnded;
  'ingestion.failed': IngestionJobEnded;
  'defaults.changed': DefaultsChanged;
}

export type DomainEventName = keyof DomainEvents;

const DOMAIN_EVENT_DESCRIPTIONS: { readonly [K in DomainEventName]: string } = {
  'feedback.received': 'a feedback item was stored',
  'ingestion.completed': 'a crawl job finished',
  'ingestion.failed': 'a crawl job failed',
  'defaults.changed': 'a default value was written or deleted',
};

/** The events webhook endpoints can subscribe to, in a stable order. */
export const DOMAIN_EVENT_NAMES = Object.keys(DOMAIN_EVENT_DESCRIPTIONS) as readonly DomainEventName[];

/** A delivery test, sent only to the endpoint that asked for it (never subscribable). */
export interface WebhookPing {
  endpointId: string;
  requestedBy: string;
}

/** What the outbox carries: every domain event plus the ping. */
export interface OutboxEvents extends DomainEvents {
  'webhook.ping': WebhookPing;
}

export type OutboxEventName = keyof OutboxEvents;

/** One outbox row to write: the event name and its payload, kept together by the type. */
export type OutboxEvent = {
  [K in OutboxEventName]: { type: K; data: OutboxEvents[K]; requestId?: string | null };
}[OutboxEventName];
