import { Client } from 'pg';
import { Receiver } from '../webhooks/receiver';

/** Webhook endpoints of other e2e files would get deliveries too: keep this file's counts clean. */
export async function isolateWebhooksSql(db: Client): Promise<void> {
  await db.query(`UPDATE webhook_endpoints SET enabled = false`);
  await db.query(`UPDATE webhook_outbox SET relayed_at = now() WHERE relayed_at IS NULL`);
  await db.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'`);
}

export interface DeliveryReport {
  events: number;
  deliveries: number;
  /** Deliveries never received by the receiver. */
  missing: string[];
  /** webhook-ids received with differing bodies (one id must mean one event). */
  inconsistent: string[];
  /** Receipts beyond the first of a webhook-id (at-least-once redeliveries). */
  duplicates: number;
}

/**
 * Compares what the database says was to be delivered (one delivery row per event and endpoint,
 * whose `webhook-id` is `msg_<delivery id>`) with what the receiver got; `onlyBodiesMatching` (a regex) limits
 * the comparison to the events a scenario produced under load.
 */
export async function deliveryReport(
  db: Client,
  endpointId: string,
  receiver: Receiver,
  onlyBodiesMatching = '',
): Promise<DeliveryReport> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND body ~ $2`,
    [endpointId, onlyBodiesMatching],
  );
  const [{ n: events }] = (
    await db.query<{ n: number }>(
      `SELECT count(DISTINCT event_id)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND body ~ $2`,
      [endpointId, onlyBodiesMatching],
    )
  ).rows;
  const bodies = new Map<string, Set<string>>();
  let receipts = 0;
  for (const r of receiver.received) {
    const id = String(r.headers['webhook-id']);
    bodies.set(id, (bodies.get(id) ?? new Set()).add(r.body));
    receipts++;
  }
  return {
    events,
    deliveries: rows.length,
    missing: rows.map((r) => `msg_${r.id}`).filter((id) => !bodies.has(id)),
    inconsistent: [...bodies].filter(([, b]) => b.size > 1).map(([id]) => id),
    duplicates: receipts - bodies.size,
  };
}
