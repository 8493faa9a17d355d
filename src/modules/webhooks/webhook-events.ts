import { DOMAIN_EVENT_NAMES, type OutboxEventName } from '../../common/events/domain-events';

/** Event types an endpoint may subscribe to (`*` = all). `webhook.ping` goes only to its target. */
export const SUBSCRIBABLE_EVENTS = [...DOMAIN_EVENT_NAMES, '*'] as const;
export const PING_EVENT = 'webhook.ping' satisfies OutboxEventName;
export const WEBHOOK_QUEUE = 'webhooks';

export function subscribes(events: string[], type: string): boolean {
  return events.includes('*') || events.includes(type);
}
