import { BadGatewayException, GatewayTimeoutException, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { askConfig, AskConfig } from '../../../config/namespaces';
import { AnswerProvider, AnswerRequest } from './answer-provider';
import { problemBody } from '../../../common/errors/error-code';

const SYSTEM_PROMPT = [
  'You answer questions using only the numbered sources given.',
  'Cite every claim with the source number in square brackets, like [1] or [2][3].',
  'If the sources do not contain the answer, reply exactly: "Not in the sources." Do not use outside knowledge.',
  'Be concise.',
].join(' ');

export function buildMessages(req: Pick<AnswerRequest, 'question' | 'passages'>) {
  const sources = req.passages
    .map(
      (p, i) =>
        `[${i + 1}] ${p.title}${p.headingPath.length ? ` — ${p.headingPath.join(' › ')}` : ''}\n${p.url}\n${p.text}`,
    )
    .join('\n\n');
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Sources:\n\n${sources}\n\nQuestion: ${req.question}` },
  ];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * Any OpenAI-compatible `/chat/completions` endpoint (OpenAI, Ollama, vLLM, LM Studio), streamed
 * over SSE. Retries 429/5xx/network errors with exponential backoff (Retry-After honoured) only
 * before the first token — a half-streamed answer is never restarted. Errors map to 502, the
 * overall LLM_TIMEOUT_MS to 504; the caller's signal (client disconnect) aborts the upstream call.
 */
@Injectable()
export class OpenAiCompatibleProvider implements AnswerProvider, OnModuleDestroy {
  readonly name = 'openai-compatible';
  private readonly agent = new Agent({ keepAliveTimeout: 10000 });

  constructor(@Inject(askConfig.KEY) private readonly cfg: AskConfig) {}

  get configured(): boolean {
    return Boolean(this.cfg.llm.baseUrl && this.cfg.llm.model);
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  async *stream(req: AnswerRequest): AsyncIterable<string> {
    const llm = this.cfg.llm;
    const timeout = AbortSignal.timeout(llm.timeoutMs);
    const signal = AbortSignal.any([req.signal, timeout]);
    const body = JSON.stringify({
      model: llm.model,
      messages: buildMessages(req),
      stream: true,
      max_tokens: llm.maxTokens,
      temperature: 0.1,
      stream_options: { include_usage: true },
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
    const fail = (err: unknown): never => {
      if (timeout.aborted)
        throw new GatewayTimeoutException(
          problemBody({
            message: `The language model did not answer within ${llm.timeoutMs} ms`,
            code: 'llm-timeout',
          }),
        );
      if (req.signal.aborted) throw err;
      if (err instanceof BadGatewayException) throw err;
      throw new BadGatewayException(
        problemBody({
          message: `The language model is unavailable: ${(err as Error).message}`,
          code: 'llm-unavailable',
        }),
      );
    };
    let res: Awaited<ReturnType<typeof request>> | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await request(`${llm.baseUrl}/chat/completions`, {
          method: 'POST',
          headers,
          body,
          signal,
          dispatcher: this.agent,
        });
      } catch (err) {
        if (signal.aborted || attempt >= llm.maxRetries) return fail(err);
        await sleep(250 * 2 ** attempt, signal).catch(fail);
        continue;
      }
      if (res.statusCode === 200) break;
      const text = await res.body.text().catch(() => '');
      const retryable = res.statusCode === 429 || res.statusCode >= 500;
      if (!retryable || attempt >= llm.maxRetries) {
        return fail(
          new BadGatewayException(
            problemBody({
              message: `The language model answered ${res.statusCode}: ${text.slice(0, 200)}`,
              code: 'llm-error',
              upstreamStatus: res.statusCode,
            }),
          ),
        );
      }
      const retryAfter = Number(res.headers['retry-after']);
      await sleep(
        Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : 250 * 2 ** attempt,
        signal,
      ).catch(fail);
    }
    let buffer = '';
    try {
      for await (const part of res.body) {
        buffer += (part as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') return;
          const chunk = JSON.parse(data) as {
            choices?: { delta?: { content?: string } }[];
            usage?: { prompt_tokens?: number; completion_tokens?: number };
          };
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) yield text;
          if (chunk.usage)
            req.onUsage?.({ prompt: chunk.usage.prompt_tokens ?? 0, completion: chunk.usage.completion_tokens ?? 0 });
        }
      }
    } catch (err) {
      res.body.destroy();
      fail(err);
    }
  }
}
