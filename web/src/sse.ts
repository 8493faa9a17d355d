import { raw } from './api';

export interface SseEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a server-sent event stream over fetch (EventSource cannot send the Authorization
 * header). Calls onEvent for each event until the stream ends or `signal` aborts.
 */
export async function readSse(
  path: string,
  init: RequestInit,
  onEvent: (e: SseEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const res = await raw(path, {
    ...init,
    signal,
    headers: { ...(init.headers as Record<string, string>), accept: 'text/event-stream' },
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (!data.length) continue;
      const text = data.join('\n');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* plain text data */
      }
      onEvent({ event, data: parsed });
    }
  }
}
