import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { embeddingsConfig, EmbeddingsConfig } from '../../../config/namespaces';

export class EmbeddingsError extends Error {
  constructor(
    message: string,
    /** 429, 5xx, network errors and timeouts may succeed later; other failures will not. */
    readonly retryable: boolean,
    /** The server's Retry-After, when it gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface EmbedOptions {
  /** Aborts the whole call, retries included (a crawl's cancel or its embedding budget). */
  signal?: AbortSignal;
  /** Defaults to EMBEDDINGS_MAX_RETRIES. */
  retries?: number;
  /** Each request's timeout; defaults to EMBEDDINGS_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** What health reports of the endpoint: the last call's outcome. */
export interface EndpointState {
  lastSuccessAt: string | null;
  lastError: { at: string; message: string } | null;
}

const BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5000;

/**
 * Client of an OpenAI-compatible `POST /v1/embeddings` endpoint (OpenAI, Ollama, vLLM, LM
 * Studio, llama.cpp server). Texts go in batches of EMBEDDINGS_BATCH_SIZE; a batch is retried on
 * 429/5xx/network errors/timeouts with exponential backoff (Retry-After honoured up to 5 s),
 * never on other 4xx. Responses are checked (one vector per input, all of one length, that of
 * EMBEDDINGS_DIMENSIONS when set) so a misbehaving server cannot store garbage.
 */
@Injectable()
export class EmbeddingsClient implements OnModuleDestroy {
  private readonly agent = new Agent({ keepAliveTimeout: 10000 });
  readonly state: EndpointState = { lastSuccessAt: null, lastError: null };

  constructor(@Inject(embeddingsConfig.KEY) private readonly cfg: EmbeddingsConfig) {}

  get configured(): boolean {
    return Boolean(this.cfg.url);
  }

  /** The key vectors are stored under: another model or length is another vector space. */
  get modelKey(): string {
    return `${this.cfg.model || 'default'}${this.cfg.dimensions ? `:${this.cfg.dimensions}` : ''}`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  /** One vector per text, in order. Throws EmbeddingsError (or the signal's reason) on failure. */
  async embed(texts: string[], opts: EmbedOptions = {}): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.cfg.batchSize) {
      out.push(...(await this.batchWithRetries(texts.slice(i, i + this.cfg.batchSize), opts)));
    }
    return out;
  }

  private async batchWithRetries(batch: string[], opts: EmbedOptions): Promise<number[][]> {
    const retries = opts.retries ?? this.cfg.maxRetries;
    for (let attempt = 0; ; attempt++) {
      try {
        const vectors = await this.post(batch, opts);
        this.state.lastSuccessAt = new Date().toISOString();
        return vectors;
      } catch (err) {
        const e = err instanceof EmbeddingsError ? err : null;
        if (opts.signal?.aborted || !e?.retryable || attempt >= retries) {
          this.state.lastError = { at: new Date().toISOString(), message: (err as Error).message };
          throw err;
        }
        await sleep(Math.min(MAX_BACKOFF_MS, e.retryAfterMs ?? BACKOFF_MS * 2 ** attempt), opts.signal);
      }
    }
  }

  private async post(input: string[], opts: EmbedOptions): Promise<number[][]> {
    const timeoutMs = opts.timeoutMs ?? this.cfg.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.cfg.apiKey) headers.authorization = `Bearer ${this.cfg.apiKey}`;
    const body: Record<string, unknown> = { input, encoding_format: 'float' };
    if (this.cfg.model) body.model = this.cfg.model;
    if (this.cfg.dimensions) body.dimensions = this.cfg.dimensions;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(this.cfg.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal,
        dispatcher: this.agent,
      });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      throw new EmbeddingsError(`embeddings endpoint unreachable: ${why}`, true);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw new EmbeddingsError(
        `embeddings response cut off: ${timeout.aborted ? `timeout ${timeoutMs} ms` : (err as Error).message}`,
        true,
      );
    }
    if (res.statusCode !== 200) {
      const retryable = res.statusCode === 429 || res.statusCode >= 500;
      const after = Number(res.headers['retry-after']);
      throw new EmbeddingsError(
        `embeddings endpoint answered ${res.statusCode}: ${text.slice(0, 200)}`,
        retryable,
        Number.isFinite(after) && after >= 0 ? after * 1000 : undefined,
      );
    }
    return this.vectors(text, input.length);
  }

  /** The response's vectors in input order, or an error saying what is wrong with it. */
  private vectors(text: string, expected: number): number[][] {
    let parsed: { data?: { index?: number; embedding?: unknown }[] };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new EmbeddingsError('embeddings response is not JSON', false);
    }
    const data = parsed?.data;
    if (!Array.isArray(data) || data.length !== expected)
      throw new EmbeddingsError(
        `embeddings response has ${Array.isArray(data) ? data.length : 'no'} vectors for ${expected} inputs`,
        false,
      );
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const length = this.cfg.dimensions || (ordered[0].embedding as unknown[] | undefined)?.length || 0;
    return ordered.map(({ embedding: v }) => {
      if (
        !Array.isArray(v) ||
        v.length !== length ||
        !length ||
        !v.every((x) => typeof x === 'number' && Number.isFinite(x))
      )
        throw new EmbeddingsError(
          `embeddings response holds a vector that is not ${length || 'a non-empty list of'} finite numbers`,
          false,
        );
      return v as number[];
    });
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
