import { Readable } from 'node:stream';
import { FeedbackEntity } from './entities/feedback.entity';
import { toFeedbackView } from './feedback.service';

export const CSV_COLUMNS = [
  'id',
  'type',
  'status',
  'rating',
  'message',
  'contact',
  'appVersion',
  'metadata',
  'userId',
  'createdAt',
] as const;

/**
 * One CSV field (RFC 4180, always quoted). A text starting with = + - @ or a tab/CR would be
 * run as a formula by spreadsheet apps (CSV injection), so it gets a leading apostrophe.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvRow(f: FeedbackEntity): string {
  const v = toFeedbackView(f) as unknown as Record<string, unknown>;
  return CSV_COLUMNS.map((c) => csvField(v[c])).join(',') + '\r\n';
}

/** A stream that pulls one batch at a time, only as fast as the client reads. */
export function exportStream(batches: AsyncGenerator<FeedbackEntity[]>, format: 'csv' | 'json'): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') {
      yield CSV_COLUMNS.join(',') + '\r\n';
      for await (const batch of batches) yield batch.map(csvRow).join('');
      return;
    }
    yield '[';
    let first = true;
    for await (const batch of batches) {
      yield batch.map((f) => (first ? ((first = false), '') : ',') + JSON.stringify(toFeedbackView(f))).join('');
    }
    yield ']\n';
  }
  return Readable.from(lines());
}
