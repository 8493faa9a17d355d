import { Inject, Injectable } from '@nestjs/common';
import { askConfig, AskConfig } from '../../../config/namespaces';
import { AnswerProvider, AnswerRequest } from './answer-provider';
import { hasStem } from '../proximity';

interface Sentence {
  text: string;
  code?: string;
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
      const s = sentences[i];
      // One citation marker per sentence; its code block (if any) follows as a fenced block.
      const sep = i === 0 ? '' : sentences[i - 1].code ? '\n\n' : ' ';
      yield `${sep}${s.text} [${s.source + 1}]${s.code ? `\n\n\`\`\`\n${s.code}\n\`\`\`` : ''}`;
    }
  }

  pick(req: AnswerRequest): Sentence[] {
    const terms = req.passages[0]?.terms ?? [];
    const all: Sentence[] = [];
    const seen = new Set<string>();
    req.passages.forEach((p, source) => {
      const prior = 1 / (1 + source * 0.35);
      // A section whose heading holds question terms is about the question: its sentences say
      // more than their own words show ("Adoption de paquet" → "Une liste … (WNPP)").
      const section = termsIn(p.headingPath[p.headingPath.length - 1] ?? '', terms).size;
      splitSentences(p.text).forEach(({ text, code }, order) => {
        // The same sentence on two pages (or in two overlapping chunks) is said once.
        if (seen.has(text)) return;
        seen.add(text);
        const hits = termsIn(text, terms);
        if (hits.size)
          all.push({
            text,
            code,
            source,
            order,
            score: (hits.size + section + (signatureHit(text, terms) ? 1 : 0)) * prior,
          });
      });
    });
    // Found by meaning alone (semantic retrieval): no sentence holds a question word, so the
    // best passage's opening sentences answer.
    if (!all.length && req.passages[0]?.similarity !== undefined)
      return leadSentences(req.passages[0].text, this.cfg.answerMaxChars);
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
        if (score > bestScore && size(s) <= budget) [best, bestScore] = [i, score];
      });
      if (best < 0) break;
      const [s] = all.splice(best, 1);
      chosen.push(s);
      // The sentence after a chosen one usually goes on with the same point.
      const next = all.find((n) => n.source === s.source && n.order === s.order + 1);
      if (next) next.score += 1;
      // One that opens by pointing back ("Cela signifie que …", "This means …") needs the one before.
      const prev = ANAPHORA.test(s.text) && all.find((n) => n.source === s.source && n.order === s.order - 1);
      if (prev) prev.score += 1;
      termsIn(s.text, terms).forEach((t) => covered.add(t));
      budget -= size(s) + 5;
      if (chosen.length >= 4 || (covered.size === terms.length && chosen.length >= 3)) break;
    }
    return chosen.sort((a, b) => a.source - b.source || a.order - b.order);
  }
}

/** The first two sentences of a passage that fit the budget, cited as source 1. */
function leadSentences(text: string, budget: number): Sentence[] {
  const out: Sentence[] = [];
  for (const [order, u] of splitSentences(text).entries()) {
    const s = { ...u, source: 0, order, score: 0 };
    if (size(s) > budget || out.length >= 2) break;
    out.push(s);
    budget -= size(s) + 5;
  }
  return out;
}

/** A sentence that opens by pointing back at the one before it (en, fr). */
const ANAPHORA = /^(this|that|these|those|it|they|such|cela|ceci|ça|ce|cet|cette|ces|il|elle|ils|elles)\b/i;

/** A sentence's share of the answer budget: its code block counts, up to 400 characters (a long block still shows whole). */
const size = (s: Sentence) => s.text.length + Math.min(s.code?.length ?? 0, 400);

/** An API signature line such as `random.randint(a, b)` or `class dataclasses.Field`. */
const SIGNATURE =
  /^(class |exception |classmethod |staticmethod |abstractmethod |coroutine |awaitable |async )?[\w.]+(\(.*\))?¶?$/;
/** A sentence ends with terminal punctuation; a line without it is a heading, caption or link label ("Note", "See also"). */
const SENTENCE_END = /[.!?…:;)»"”]$/;
/** A code block as the extractor stores it (html-extract CODE_FENCE). */
const CODE_BLOCK = /^```\n([\s\S]*?)\n```$/gm;

export interface SentenceUnit {
  text: string;
  /** A code block right after the sentence (the sentence introduces it: "… as follows:"). */
  code?: string;
}

/**
 * Sentences of a passage — whole sentences only: at least three words and terminal punctuation,
 * so a heading, caption or link label alone never becomes an answer. A signature line is kept
 * with the sentence that follows it ("random.randint(a, b) — Return a random integer…"), because
 * on API documentation the name is usually what the question needs and the description alone
 * does not carry it. A code block is attached to the sentence before it and shown as code.
 */
export function splitSentences(text: string): SentenceUnit[] {
  const out: SentenceUnit[] = [];
  let signature = '';
  let introduces = false;
  // Blocks: code blocks whole, prose split on newlines.
  const blocks: { code?: string; prose?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(CODE_BLOCK)) {
    blocks.push({ prose: text.slice(last, m.index) });
    blocks.push({ code: m[1] });
    last = m.index + m[0].length;
  }
  blocks.push({ prose: text.slice(last) });
  for (const b of blocks) {
    if (b.code !== undefined) {
      const prev = out[out.length - 1];
      if (prev && !prev.code && b.code.trim()) prev.code = b.code.replace(/\s+$/, '');
      signature = '';
      introduces = false;
      continue;
    }
    for (const line of (b.prose ?? '').split(/\n+/)) {
      // Footnote markers of pages indexed before the extractor dropped them.
      const l = line
        .replace(/\s+/g, ' ')
        .replace(/¶$/, '')
        .replace(/\s\[\d{1,3}\](?=[\s.,;:]|$)/g, '')
        .trim();
      if (!l) continue;
      // A bare word ("Note", "Example") is a label, not an API name.
      if (SIGNATURE.test(l) && /[.(]|^\w+ /.test(l) && l.length <= 300) {
        signature = l;
        continue;
      }
      l.split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"'(«“])/u).forEach((s, i) => {
        // "The main lists are:" says nothing alone: what it introduces (the next line, a list
        // item without punctuation included) becomes part of it.
        const intro = out[out.length - 1];
        if (
          i === 0 &&
          introduces &&
          intro &&
          !intro.code &&
          s.split(' ').length >= 2 &&
          intro.text.length + s.length < 600
        ) {
          intro.text = `${intro.text} ${s}`;
          return;
        }
        const sentence = i === 0 && signature ? `${signature} — ${s}` : s;
        if (
          sentence.length >= 12 &&
          sentence.length <= 600 &&
          SENTENCE_END.test(sentence) &&
          sentence.split(' ').length >= 3
        )
          out.push({ text: sentence });
      });
      signature = '';
      introduces = out[out.length - 1]?.text.endsWith(':') ?? false;
    }
  }
  return out;
}

/** The sentence starts with an API signature naming a question term: that name is usually what the question needs. */
function signatureHit(text: string, terms: string[]): boolean {
  const sep = text.indexOf(' — ');
  return sep > 0 && SIGNATURE.test(text.slice(0, sep)) && termsIn(text.slice(0, sep), terms).size > 0;
}

function termsIn(text: string, terms: string[]): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const hit = new Set<string>();
  for (const t of terms) if (words.some((w) => hasStem(w, t))) hit.add(t);
  return hit;
}
