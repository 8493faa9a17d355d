import { baseLanguage, detectLanguage } from '../../ingestion/extract/language';
import { QUESTION_WORDS } from './question-words';

const SETS = new Map(Object.entries(QUESTION_WORDS).map(([lang, words]) => [lang, new Set(words)]));
/** Words, keeping hyphenated and dotted identifiers and elisions together: "dpkg-buildpackage", "os.path", "l'option". */
const WORD = /[\p{L}\p{N}_]+(?:[-'’.][\p{L}\p{N}_]+)*/gu;

const words = (text: string) => text.toLowerCase().replace(/’/g, "'").match(WORD) ?? [];

/**
 * Language of a question: tinyld (as for pages), checked against the question words — a question
 * is short, and "Comment configurer apt ?" has few letters to judge by. When the detector finds
 * none of its own language's question words but another language has at least two, that
 * language wins; with no detection at all the question words decide alone.
 */
export function questionLanguage(question: string): string | null {
  const ws = words(question);
  const votes = [...SETS]
    .map(
      ([lang, set]) => [lang, ws.filter((w) => set.has(w) || w.split(/[-']/).every((p) => set.has(p))).length] as const,
    )
    .sort((a, b) => b[1] - a[1]);
  const [top, topVotes] = votes[0] ?? [null, 0];
  const detected = baseLanguage(detectLanguage(question));
  if (!detected) return topVotes > 0 ? top : null;
  const own = votes.find(([l]) => l === detected)?.[1] ?? 0;
  if (own === 0 && topVotes >= 2) return top;
  return detected;
}

/**
 * The question without its language's question words (see QUESTION_WORDS): what is left says
 * what the question is about. An elided article stays off its word ("l'option" → "option"); a
 * compound made only of question words goes ("est-ce", "qu'est-ce"); identifiers are kept whole.
 */
export function contentWords(question: string, lang: string | null): string {
  const set = (lang && SETS.get(lang)) || null;
  if (!set) return question;
  const out: string[] = [];
  for (const w of words(question)) {
    if (set.has(w)) continue;
    const parts = w.split(/[-']/);
    if (parts.length > 1 && parts.every((p) => set.has(p))) continue;
    const elided = /^([\p{L}]+)'(.+)$/u.exec(w);
    out.push(elided && set.has(elided[1]) ? elided[2] : withoutInversion(w, set));
  }
  return out.join(' ');
}

/**
 * A verb with its subject pronoun after it, as French asks ("passe-t-il", "peut-on",
 * "dois-je"): the pronoun goes, the verb stays; an identifier such as "dpkg-buildpackage" ends
 * in no question word and is kept whole.
 */
function withoutInversion(word: string, set: Set<string>): string {
  const parts = word.split('-');
  while (parts.length > 1 && set.has(parts[parts.length - 1])) parts.pop();
  return parts.join('-');
}
