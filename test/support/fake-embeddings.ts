import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server';

export type EmbeddingsBehaviour = 'ok' | 'fail-once' | 'always-503' | 'bad-request' | 'slow' | 'wrong-count';

/**
 * A deterministic OpenAI-compatible `POST /v1/embeddings` server on 127.0.0.1 (no model is
 * reachable here). A text's vector is its bag of words hashed into DIMENSIONS signed buckets and
 * L2-normalised, so texts sharing words are near (cosine) and unrelated texts are nearly
 * orthogonal. Words are lower-cased, a plural/-ing ending is stripped, stop words dropped, and
 * SYNONYMS map a word to another before hashing: that is how a question can share no word with
 * a page and still be its nearest neighbour — the one thing a real model adds over full-text search.
 */
export class FakeEmbeddings extends LocalServer {
  static readonly DIMENSIONS = 256;
  static readonly SYNONYMS: Record<string, string> = {
    automobile: 'car',
    vehicle: 'car',
    purchase: 'buy',
    acquire: 'buy',
    obtain: 'buy',
  };
  static readonly STOP = new Set([
    'a',
    'an',
    'the',
    'i',
    'do',
    'how',
    'to',
    'of',
    'and',
    'or',
    'you',
    'is',
    'it',
    'in',
    'on',
    'for',
    'with',
    'what',
    'can',
    'my',
    'your',
    'be',
    'this',
    'that',
  ]);

  behaviour: EmbeddingsBehaviour = 'ok';
  /** Set: the server ignores a requested `dimensions` and answers vectors of this length. */
  forcedDimensions: number | null = null;
  readonly requests: {
    headers: IncomingMessage['headers'];
    url: string;
    body: { input: string[]; model?: string; dimensions?: number };
  }[] = [];
  private calls = 0;

  /** The base URL without /v1 (the client appends /v1/embeddings). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Texts sent for embedding so far (questions and chunks). */
  get inputs(): string[] {
    return this.requests.flatMap((r) => r.body.input ?? []);
  }

  reset(behaviour: EmbeddingsBehaviour = 'ok'): void {
    this.behaviour = behaviour;
    this.forcedDimensions = null;
    this.requests.length = 0;
    this.calls = 0;
  }

  static words(text: string): string[] {
    return (text.toLowerCase().match(/[a-z]+/g) ?? [])
      .map((w) => {
        const end = /(ing|es|s)$/.exec(w)?.[0] ?? '';
        return end && w.length - end.length >= 3 ? w.slice(0, -end.length) : w;
      })
      .filter((w) => !FakeEmbeddings.STOP.has(w))
      .map((w) => FakeEmbeddings.SYNONYMS[w] ?? w);
  }

  static vector(text: string, dims = FakeEmbeddings.DIMENSIONS): number[] {
    const v = new Array<number>(dims).fill(0);
    for (const w of FakeEmbeddings.words(text)) {
      const h = fnv1a(w);
      v[h % dims] += h & 0x80000000 ? -1 : 1;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const c of req) raw += c;
    const body = JSON.parse(raw || '{}');
    this.requests.push({ headers: req.headers, url: req.url ?? '', body });
    this.calls++;
    if (req.url !== '/v1/embeddings' || req.method !== 'POST') return void res.writeHead(404).end();
    if (this.behaviour === 'bad-request')
      return void res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"error":{"message":"unknown model"}}');
    if (this.behaviour === 'always-503' || (this.behaviour === 'fail-once' && this.calls === 1))
      return void res.writeHead(503).end('busy');
    if (this.behaviour === 'slow') await new Promise((r) => setTimeout(r, 1500).unref());
    if (res.destroyed) return;
    const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
    const dims = this.forcedDimensions ?? body.dimensions ?? FakeEmbeddings.DIMENSIONS;
    const data = input.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: FakeEmbeddings.vector(text, dims),
    }));
    // Out of order on purpose: the client must sort by index.
    data.reverse();
    if (this.behaviour === 'wrong-count') data.pop();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        object: 'list',
        data,
        model: body.model ?? 'fake',
        usage: { prompt_tokens: 0, total_tokens: 0 },
      }),
    );
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Cosine similarity of two normalised vectors. */
export const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
