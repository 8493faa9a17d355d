import { BadGatewayException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Histogram } from 'prom-client';
import { askConfig, AskConfig, embeddingsConfig, EmbeddingsConfig } from '../../config/namespaces';
import { SourcesRepository } from '../ingestion/sources.repository';
import { ASK_ANSWER, ASK_REQUESTS, ASK_RETRIEVAL, ASK_TOKENS } from './ask.metrics';
import { AskUsageService } from './usage/ask-usage.service';
import { AskDto } from './dto/ask.dto';
import { AnswerProvider, noAnswer } from './providers/answer-provider';
import { questionLanguage } from './language/question-language';
import { ExtractiveProvider } from './providers/extractive.provider';
import { OpenAiCompatibleProvider } from './providers/openai-compatible.provider';
import { Passage, RetrievalService } from './retrieval.service';
import type { Highlight } from './snippet';
import { problemBody } from '../../common/errors/error-code';

export interface Citation {
  n: number;
  url: string;
  title: string;
  headingPath: string[];
  snippet: string;
  highlights: Highlight[];
  score: number;
}
export type AskEvent =
  | { type: 'citations'; citations: Citation[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; usedProvider: string; timings: { retrievalMs: number; answerMs: number } };

const ms = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

@Injectable()
export class AskService {
  constructor(
    @Inject(askConfig.KEY) private readonly cfg: AskConfig,
    @Inject(embeddingsConfig.KEY) private readonly embeddings: EmbeddingsConfig,
    private readonly sources: SourcesRepository,
    private readonly retrieval: RetrievalService,
    private readonly usage: AskUsageService,
    private readonly extractive: ExtractiveProvider,
    private readonly llm: OpenAiCompatibleProvider,
    @InjectMetric(ASK_TOKENS) private readonly tokens: Counter<string>,
    @InjectMetric(ASK_REQUESTS) private readonly requests: Counter<string>,
    @InjectMetric(ASK_RETRIEVAL) private readonly retrievalTime: Histogram<string>,
    @InjectMetric(ASK_ANSWER) private readonly answerTime: Histogram<string>,
  ) {}

  /** Checks the quota and the sources before anything is streamed, so those errors are plain HTTP errors. */
  async begin(userId: string, dto: AskDto): Promise<string[]> {
    const asked = dto.sourceIds?.length ? [...new Set(dto.sourceIds)] : undefined;
    const ids = await this.sources.ownedIds(userId, asked);
    const missing = asked?.find((id) => !ids.includes(id));
    if (missing)
      throw new NotFoundException(problemBody({ message: `No such source: ${missing}`, code: 'source-not-found' }));
    await this.usage.consume(userId);
    return ids;
  }

  /** Citations first, then answer deltas, then done. Provider errors are thrown (mapped by the caller). */
  async *events(userId: string, sourceIds: string[], dto: AskDto, signal: AbortSignal): AsyncGenerator<AskEvent> {
    const t0 = performance.now();
    const lang = questionLanguage(dto.question);
    const passages = await this.retrieval.search(sourceIds, dto.question, dto.topK ?? 5, lang);
    const retrievalMs = ms(t0);
    this.retrievalTime.observe(retrievalMs / 1000);
    const relevant = passages.length > 0 && this.answers(passages[0]) ? passages : [];
    yield { type: 'citations', citations: relevant.map(toCitation) };
    const t1 = performance.now();
    if (!relevant.length) {
      this.requests.inc({ provider: 'none', outcome: 'no-answer' });
      yield { type: 'delta', text: noAnswer(lang) };
      yield { type: 'done', usedProvider: 'none', timings: { retrievalMs, answerMs: 0 } };
      return;
    }
    let provider = this.provider(dto);
    // Token counts are written while the answer streams and awaited before `done`, so the ledger
    // is complete once the response is.
    const recording: Promise<unknown>[] = [];
    const onUsage = (u: { prompt: number; completion: number }) => {
      this.tokens.inc({ provider: provider.name, kind: 'prompt' }, u.prompt);
      this.tokens.inc({ provider: provider.name, kind: 'completion' }, u.completion);
      recording.push(this.usage.addTokens(userId, u.prompt + u.completion).catch(() => undefined));
    };
    let yielded = false;
    try {
      for await (const text of provider.stream({ question: dto.question, lang, passages: relevant, signal, onUsage })) {
        yielded = true;
        yield { type: 'delta', text };
      }
    } catch (err) {
      this.requests.inc({ provider: provider.name, outcome: 'error' });
      if (yielded || signal.aborted || provider === this.extractive || !this.cfg.llm.fallbackToExtractive) throw err;
      provider = this.extractive;
      for await (const text of provider.stream({ question: dto.question, lang, passages: relevant, signal }))
        yield { type: 'delta', text };
    }
    await Promise.all(recording);
    const answerMs = ms(t1);
    this.answerTime.observe({ provider: provider.name }, answerMs / 1000);
    this.requests.inc({ provider: provider.name, outcome: signal.aborted ? 'aborted' : 'answered' });
    yield { type: 'done', usedProvider: provider.name, timings: { retrievalMs, answerMs } };
  }

  async ask(userId: string, sourceIds: string[], dto: AskDto, signal: AbortSignal) {
    let answer = '';
    let citations: Citation[] = [];
    let done: Extract<AskEvent, { type: 'done' }> | undefined;
    for await (const e of this.events(userId, sourceIds, dto, signal)) {
      if (e.type === 'citations') citations = e.citations;
      else if (e.type === 'delta') answer += e.text;
      else done = e;
    }
    return { answer, citations, usedProvider: done!.usedProvider, timings: done!.timings };
  }

  /** mode wins; without it ASK_PROVIDER decides. Generative without an LLM configured is a 502 unless falling back. */
  private provider(dto: AskDto): AnswerProvider {
    const generative = dto.mode ? dto.mode === 'generative' : this.cfg.provider === 'openai-compatible';
    if (!generative) return this.extractive;
    if (this.llm.configured) return this.llm;
    if (this.cfg.llm.fallbackToExtractive) return this.extractive;
    throw new BadGatewayException(
      problemBody({
        message: 'No language model is configured (LLM_BASE_URL, LLM_MODEL)',
        code: 'llm-not-configured',
      }),
    );
  }

  /** The best passage answers when it holds enough of the question's terms, or (semantic retrieval) is close enough in meaning. */
  private answers(best: Passage): boolean {
    return (
      best.coverage >= this.cfg.minCoverage ||
      (best.similarity !== undefined && best.similarity >= this.embeddings.minSimilarity)
    );
  }
}

function toCitation(p: Passage, i: number): Citation {
  return {
    n: i + 1,
    url: p.url,
    title: p.title,
    headingPath: p.headingPath,
    snippet: p.snippet,
    highlights: p.highlights,
    score: Math.round(p.score * 10000) / 10000,
  };
}
