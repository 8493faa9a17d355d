import type { Passage } from '../retrieval.service';

export interface AnswerRequest {
  question: string;
  /** Numbered sources: passages[i] is citation [i + 1]. */
  passages: Passage[];
  signal: AbortSignal;
  /** Called with token counts when the provider reports them. */
  onUsage?: (usage: { prompt: number; completion: number }) => void;
}

export interface AnswerResult {
  answer: string;
  tokens?: { prompt: number; completion: number };
}

/** One interface for every way of writing an answer (strategy chosen by config or request). */
export interface AnswerProvider {
  readonly name: string;
  /** Yields the answer in pieces; the concatenation is the whole answer. */
  stream(req: AnswerRequest): AsyncIterable<string>;
}

export const NO_ANSWER = 'No passage in your sources answers this.';
