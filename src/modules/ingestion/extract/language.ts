import { detect } from 'tinyld';
import type { Chunk } from './chunker';

/**
 * Language of a page or chunk → Postgres text search configuration. A `lang` attribute wins
 * (main content's, then the page's, see extractHtml); without one, tinyld (1.3.x, the
 * "normal" model, restricted to the languages below) decides. It was chosen by measured
 * accuracy (npm run bench:lang, docs/ingestion.md): on 1,400 Debian documentation paragraphs in
 * seven languages it is right far more often than the stop-word vote it replaced, and it still
 * answers on question-sized text, where the vote refused to guess. Anything unknown maps to
 * `simple`, which indexes words unstemmed, so recall is kept without wrong stemming.
 */
export const LANGUAGE_CONFIGS: Record<string, string> = {
  en: 'english',
  fr: 'french',
  de: 'german',
  es: 'spanish',
  it: 'italian',
  pt: 'portuguese',
  nl: 'dutch',
  sv: 'swedish',
  da: 'danish',
  no: 'norwegian',
  nb: 'norwegian',
  fi: 'finnish',
  ru: 'russian',
  hu: 'hungarian',
  ro: 'romanian',
  tr: 'turkish',
};
const ONLY = Object.keys(LANGUAGE_CONFIGS).filter((l) => l !== 'nb');

/** Fewer letters than this is no evidence of anything (a heading, a command, a name). */
const MIN_LETTERS = 12;

/** Two-letter language of a text, or null when it is too short or not one we have a configuration for. */
export function detectLanguage(text: string): string | null {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  // Code and identifiers say nothing about the prose language: judge the prose only.
  const prose = text.replace(/```[\s\S]*?```/g, ' ').slice(0, 4000);
  return detect(prose, { only: ONLY }) || null;
}

const STOP: Record<string, string[]> = {
  en: ['the', 'and', 'of', 'to', 'is', 'in', 'that', 'for', 'with', 'this', 'are', 'it', 'be', 'as', 'on'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'dans', 'que', 'pour', 'pas', 'du', 'sur', 'au', 'avec'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'ein', 'eine', 'mit', 'den', 'zu', 'auf', 'für', 'sich', 'dem'],
  es: ['el', 'los', 'las', 'y', 'que', 'del', 'es', 'una', 'por', 'con', 'para', 'se', 'como', 'pero', 'su'],
  it: ['il', 'di', 'che', 'è', 'e', 'per', 'una', 'della', 'non', 'sono', 'gli', 'con', 'del', 'nel', 'anche'],
  pt: ['o', 'os', 'as', 'de', 'que', 'não', 'uma', 'para', 'com', 'do', 'da', 'em', 'se', 'por', 'mais'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'niet', 'dat', 'op', 'te', 'zijn', 'met', 'voor', 'die', 'ook'],
};
const STOP_SETS = Object.entries(STOP).map(([lang, words]) => [lang, new Set(words)] as const);

/** The detector used before tinyld, kept for the accuracy benchmark (bench/lang-accuracy.ts) only. */
export function stopWordVote(text: string): string | null {
  const words =
    text
      .toLowerCase()
      .match(/\p{L}+/gu)
      ?.slice(0, 3000) ?? [];
  if (words.length < 20) return null;
  let best: string | null = null;
  let bestScore = 0;
  for (const [lang, set] of STOP_SETS) {
    let score = 0;
    for (const w of words) if (set.has(w)) score++;
    if (score > bestScore) [best, bestScore] = [lang, score];
  }
  // Under 5% stop words is not enough evidence for any language.
  return bestScore / words.length >= 0.05 ? best : null;
}

/** "fr-CA" → "fr"; null stays null. */
export const baseLanguage = (tag: string | null | undefined): string | null =>
  tag?.toLowerCase().split(/[-_]/)[0] || null;

export function textSearchConfig(lang: string | null): string {
  if (!lang) return 'simple';
  return LANGUAGE_CONFIGS[baseLanguage(lang)!] ?? 'simple';
}

/** `lang` attribute first, then detection. */
export function resolveLanguage(attr: string | null, text: string): { lang: string | null; tsConfig: string } {
  const lang = baseLanguage(attr) || detectLanguage(text);
  return { lang, tsConfig: textSearchConfig(lang) };
}

/** Below this many letters a chunk's own detection is noise: it takes the page's language. */
const CHUNK_MIN_LETTERS = 80;

/**
 * Language of each chunk of a page: its section's `lang` attribute; else, when the page has no
 * `lang` attribute, the chunk's own detection if it has enough prose (a French book with
 * untranslated English paragraphs gets English chunks); else the page's language.
 */
export function chunkLanguages(
  chunks: Chunk[],
  page: { lang: string | null; fromAttribute: boolean },
): (Chunk & { lang: string | null; tsConfig: string })[] {
  return chunks.map((c) => {
    let lang = baseLanguage(c.lang) ?? page.lang;
    if (!c.lang && !page.fromAttribute && (c.text.match(/\p{L}/gu)?.length ?? 0) >= CHUNK_MIN_LETTERS)
      lang = detectLanguage(c.text) ?? page.lang;
    return { ...c, lang, tsConfig: textSearchConfig(lang) };
  });
}
