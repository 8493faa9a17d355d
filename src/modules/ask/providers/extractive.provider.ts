import { Inject, Injectable } from '@nestjs/common';
import { askConfig, AskConfig } from '../../../config/namespaces';
import { AnswerProvider, AnswerRequest } from './answer-provider';

interface Sentence {
  text: string;
  source: number;
  order: number;
  score: number;
}

/**
 * Local, no network: splits the top passages into sentences, scores each by the question terms
 * it covers (weighted by the passage's rank, with a bonus for covering terms not yet covered by
 * already chosen sentences), keeps the best within the length budget, and prints them in source
 * order with their [n] citation. Terms are the stemmed lexemes from Postgres, matched as word
 * prefixes ("revers" matches "reverse", "reversed").
 */
@Injectable()
export class ExtractiveProvider implements AnswerProvider {
  readonly name = 'extractive';

  constructor(@Inject(askConfig.KEY) private readonly cfg: AskConfig) {}

  async *stream(req: AnswerRequest): AsyncIterable<string> {
    const sentences = this.pick(req);
    for (let i = 0; i < sentences.length; i++) {
      if (req.signal.aborted) return;
      yield `${i ? ' ' : ''}${sentences[i].text} [${sentences[i].source + 1}]`;
    }
  }

  pick(req: AnswerRequest): Sentence[] {
    const terms = req.passages[0]?.terms ?? [];
    const all: Sentence[] = [];
    req.passages.forEach((p, source) => {
      const prior = 1 / (1 + source * 0.35);
      splitSentences(p.text).forEach((text, order) => {
        const hits = termsIn(text, terms);
        if (hits.size) all.push({ text, source, order, score: hits.size * prior });
      });
    });
    const chosen: Sentence[] = [];
    const covered = new Set<string>();
    let budget = this.cfg.answerMaxChars;
    while (all.length) {
      // Greedy coverage: a sentence adding new terms beats one repeating covered terms.
      let best = -1;
      let bestScore = 0;
      all.forEach((s, i) => {
        const fresh = [...termsIn(s.text, terms)].filter((t) => !covered.has(t)).length;
        const score = s.score + fresh * 1.5;
        if (score > bestScore && s.text.length <= budget) [best, bestScore] = [i, score];
      });
      if (best < 0) break;
      const [s] = all.splice(best, 1);
      chosen.push(s);
      termsIn(s.text, terms).forEach((t) => covered.add(t));
      budget -= s.text.length + 5;
      if (chosen.length >= 4 || covered.size === terms.length && chosen.length >= 2) break;
    }
    return chosen.sort((a, b) => a.source - b.source || a.order - b.order);
  }
}

/** An API signature line such as `random.randint(a, b)` or `class dataclasses.Field`. */
const SIGNATURE = /^(class |exception |classmethod |staticmethod |abstractmethod |coroutine |awaitable |async )?[\w.]+(\(.*\))?¶?$/;

/**
 * Sentences of a passage. A signature line is kept with the sentence that follows it
 * ("random.randint(a, b) — Return a random integer…"), because on API documentation the name
 * is usually what the question needs and the description alone does not carry it.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let signature = '';
  for (const line of text.split(/\n+/)) {
    const l = line.replace(/\s+/g, ' ').replace(/¶$/, '').trim();
    if (!l) continue;
    if (SIGNATURE.test(l) && l.length <= 120) {
      signature = l;
      continue;
    }
    l.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).forEach((s, i) => {
      const sentence = i === 0 && signature ? `${signature} — ${s}` : s;
      if (sentence.length >= 12 && sentence.length <= 600) out.push(sentence);
    });
    signature = '';
  }
  return out;
}

function termsIn(text: string, terms: string[]): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const hit = new Set<string>();
  for (const t of terms) if (words.some((w) => w.startsWith(t))) hit.add(t);
  return hit;
}
