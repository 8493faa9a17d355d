import { BadGatewayException } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import type { AskConfig, EmbeddingsConfig } from '../../config/namespaces';
import type { SourcesRepository } from '../ingestion/sources.repository';
import { AskService } from './ask.service';
import type { AnswerProvider, AnswerRequest } from './providers/answer-provider';
import { ExtractiveProvider } from './providers/extractive.provider';
import type { OpenAiCompatibleProvider } from './providers/openai-compatible.provider';
import type { Passage, RetrievalService } from './retrieval.service';
import type { AskUsageService } from './usage/ask-usage.service';

const passage = (n: number, text: string): Passage => ({
  chunkId: `c${n}`,
  pageId: `p${n}`,
  url: `https://docs.example/${n}`,
  title: `Page ${n}`,
  headingPath: ['Guide', 'Backups'],
  text,
  snippet: text.slice(0, 80),
  highlights: [],
  score: 1 / n,
  coverage: 1,
  terms: ['backup', 'nightly'],
});

const PASSAGES = [
  passage(1, 'Backups run nightly at two. Restores are manual. The backup keeps thirty days.'),
  passage(2, 'A nightly job checks the backup archive.'),
];

class FakeRetrieval {
  async search(): Promise<Passage[]> {
    return PASSAGES;
  }
}

class FakeSources {
  async ownedIds(): Promise<string[]> {
    return ['s1'];
  }
}

class FakeUsage {
  tokens = 0;
  async consume(): Promise<void> {}
  async addTokens(_userId: string, n: number): Promise<void> {
    this.tokens += n;
  }
}

/** A language model endpoint that fails: before its first piece, or after `okPieces` pieces. */
class FailingLlm implements AnswerProvider {
  readonly name = 'openai-compatible';
  readonly configured = true;
  calls = 0;
  constructor(private readonly okPieces = 0) {}

  async *stream(req: AnswerRequest): AsyncIterable<string> {
    this.calls++;
    req.onUsage?.({ prompt: 120, completion: 0 });
    for (let i = 0; i < this.okPieces; i++) yield `llm piece ${i} `;
    throw new Error('upstream 503');
  }
}

const registers: [] = [];
function setup(llm: FailingLlm, fallbackToExtractive = true) {
  const cfg = {
    provider: 'openai-compatible',
    minCoverage: 0.5,
    answerMaxChars: 2000,
    llm: { fallbackToExtractive },
  } as unknown as AskConfig;
  const extractive = new ExtractiveProvider(cfg);
  const usage = new FakeUsage();
  const service = new AskService(
    cfg,
    { minSimilarity: 0.5 } as unknown as EmbeddingsConfig,
    new FakeSources() as unknown as SourcesRepository,
    new FakeRetrieval() as unknown as RetrievalService,
    usage as unknown as AskUsageService,
    extractive,
    llm as unknown as OpenAiCompatibleProvider,
    new Counter({ name: 't_tokens', help: 'h', labelNames: ['provider', 'kind'], registers }),
    new Counter({ name: 't_requests', help: 'h', labelNames: ['provider', 'outcome'], registers }),
    new Histogram({ name: 't_retrieval', help: 'h', registers }),
    new Histogram({ name: 't_answer', help: 'h', labelNames: ['provider'], registers }),
  );
  return { service, extractive, usage };
}

async function extractiveAnswer(extractive: ExtractiveProvider): Promise<string> {
  let text = '';
  for await (const piece of extractive.stream({
    question: 'When do backups run?',
    passages: PASSAGES,
    signal: new AbortController().signal,
  }))
    text += piece;
  return text;
}

const question = { question: 'When do backups run nightly?' };

describe('AskService (fake retrieval, usage and language model; real extractive answerer)', () => {
  it('answers extractively, with the same citations, when the language model fails before answering', async () => {
    const llm = new FailingLlm();
    const { service, extractive, usage } = setup(llm);
    const result = await service.ask('u1', ['s1'], question, new AbortController().signal);
    expect(llm.calls).toBe(1);
    expect(result.usedProvider).toBe('extractive');
    const expected = await extractiveAnswer(extractive);
    expect(expected).toMatch(/Backups run nightly at two\. \[1\]/);
    expect(result.answer).toBe(expected);
    expect(result.citations.map((c) => [c.n, c.url])).toEqual([
      [1, 'https://docs.example/1'],
      [2, 'https://docs.example/2'],
    ]);
    // The prompt tokens the model reported before failing are still counted.
    expect(usage.tokens).toBe(120);
  });

  it('does not fall back once the model has streamed part of the answer: the error reaches the caller', async () => {
    const { service } = setup(new FailingLlm(2));
    const seen: string[] = [];
    const run = (async () => {
      for await (const e of service.events('u1', ['s1'], question, new AbortController().signal))
        if (e.type === 'delta') seen.push(e.text);
    })();
    await expect(run).rejects.toThrow('upstream 503');
    expect(seen).toEqual(['llm piece 0 ', 'llm piece 1 ']);
  });

  it('passes the model error on when LLM_FALLBACK_TO_EXTRACTIVE is off', async () => {
    const { service } = setup(new FailingLlm(), false);
    await expect(service.ask('u1', ['s1'], question, new AbortController().signal)).rejects.toThrow('upstream 503');
  });

  it('answers 502 for generative mode without a configured model unless falling back', async () => {
    const unconfigured = Object.assign(new FailingLlm(), { configured: false });
    const off = setup(unconfigured, false).service;
    await expect(
      off.ask('u1', ['s1'], { ...question, mode: 'generative' }, new AbortController().signal),
    ).rejects.toBeInstanceOf(BadGatewayException);
    const on = await setup(unconfigured, true).service.ask(
      'u1',
      ['s1'],
      { ...question, mode: 'generative' },
      new AbortController().signal,
    );
    expect(on.usedProvider).toBe('extractive');
    expect(unconfigured.calls).toBe(0);
  });
});
