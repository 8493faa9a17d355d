/**
 * Language of a page → Postgres text search configuration. The `lang` attribute wins; without
 * it a small stop-word vote decides (no detector package: the maintained ones, franc and
 * friends, are ESM-only and do not load under this repo's CommonJS jest). Anything unknown
 * maps to `simple`, which indexes words unstemmed, so recall is kept without wrong stemming.
 */
const CONFIGS: Record<string, string> = {
  en: 'english', fr: 'french', de: 'german', es: 'spanish', it: 'italian', pt: 'portuguese', nl: 'dutch',
  sv: 'swedish', da: 'danish', no: 'norwegian', nb: 'norwegian', fi: 'finnish', ru: 'russian', hu: 'hungarian', ro: 'romanian', tr: 'turkish',
};

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

export function detectLanguage(text: string): string | null {
  const words = text.toLowerCase().match(/\p{L}+/gu)?.slice(0, 3000) ?? [];
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

export function textSearchConfig(lang: string | null): string {
  if (!lang) return 'simple';
  return CONFIGS[lang.toLowerCase().split(/[-_]/)[0]] ?? 'simple';
}

/** `lang` attribute first, then the stop-word vote. */
export function resolveLanguage(attr: string | null, text: string): { lang: string | null; tsConfig: string } {
  const lang = attr?.toLowerCase().split(/[-_]/)[0] || detectLanguage(text);
  return { lang, tsConfig: textSearchConfig(lang) };
}
