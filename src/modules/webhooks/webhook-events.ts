/** Event types an endpoint may subscribe to (`*` = all). `webhook.ping` goes only to its target. */
export const WEBHOOK_EVENT_TYPES = [
  'feedback.received',
  'ingestion.completed',
  'ingestion.failed',
  'defaults.changed',
] as const;
export const SUBSCRIBABLE_EVENTS = [...WEBHOOK_EVENT_TYPES, '*'] as const;
export const PING_EVENT = 'webhook.ping';
export const WEBHOOK_QUEUE = 'webhooks';

export function subscribes(events: string[], type: string): boolean {
  return events.includes('*') || events.includes(type);
}
