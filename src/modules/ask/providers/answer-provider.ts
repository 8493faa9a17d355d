import type { Passage } from '../retrieval.service';

export interface AnswerRequest {
  question: string;
  /** The question's language (two letters), when known. */
  lang?: string | null;
  /** Numbered sources: passages[i] is citation [i + 1]. */
  passages: Passage[];
  signal: AbortSignal;
  /** Called with token counts when the provider reports them. */
  onUsage?: (usage: { prompt: number; completion: number }) => void;
}

/** One interface for every way of writing an answer (strategy chosen by config or request). */
export interface AnswerProvider {
  readonly name: string;
  /** Yields the answer in pieces; the concatenation is the whole answer. */
  stream(req: AnswerRequest): AsyncIterable<string>;
}

const NO_ANSWERS: Record<string, string> = {
  en: 'No passage in your sources answers this.',
  fr: 'Aucun passage de vos sources ne répond à cette question.',
};
export const NO_ANSWER = NO_ANSWERS.en;

/** The no-answer message in the question's language (English when there is none for it). */
export const noAnswer = (lang: string | null): string => (lang && NO_ANSWERS[lang]) || NO_ANSWER;
