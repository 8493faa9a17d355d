import { Inject, Injectable } from '@nestjs/common';
import { askConfig, AskConfig } from '../../config/namespaces';
import { textSearchConfig } from '../ingestion/extract/language';
import { CandidateRow, ChunkIndexService } from '../ingestion/index/chunk-index.service';
import { QueryExpansion } from './expansion/query-expansion';
import { contentWords, questionLanguage } from './language/question-language';
import { SemanticSearch } from './semantic-search';
import { HL_START, HL_STOP, Highlight, parseHeadline } from './snippet';
import { phraseShare, termsInOrder } from './proximity';

/**
 * A chunk in another language than the question's matched only on shared words (names,
 * commands, loanwords): it can still answer, but the question's own language comes first.
 */
const OTHER_LANGUAGE_WEIGHT = 0.5;
/**
 * Bonus for holding the question's words as a phrase (see phraseShare): up to × 1.5 when every
 * neighbouring pair of question terms is there in order. Measured: 0.5 and 1 gave the same
 * figures, 0.25 lost half of the gain.
 */
const PHRASE_WEIGHT = 0.5;

const HEADLINE_OPTIONS = `MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", StartSel=${HL_START}, StopSel=${HL_STOP}`;

export interface Passage {
  chunkId: string;
  pageId: string;
  url: string;
  title: string;
  headingPath: string[];
  text: string;
  /** Plain text; `highlights` are the question terms in it. */
  snippet: string;
  highlights: Highlight[];
  score: number;
  /** Share of the question's terms this passage contains (0..1). */
  coverage: number;
  /** Stemmed question terms (for the extractive answerer). */
  terms: string[];
  /** Cosine similarity to the question, when semantic retrieval found it (see SemanticSearch). */
  similarity?: number;
}

/**
 * Full-text retrieval over a user's chunks. The question's language is detected and its question
 * words removed (see QUESTION_WORDS); what is left is turned into lexemes with each configuration
 * present in the chosen sources, and each configuration's chunks are searched with its own
 * lexemes; chunks match when they contain ANY of them
 * (questions are not keyword AND-queries) and are ranked by
 *   ts_rank_cd(weights D..A = 0.1, 0.2, 0.4, 1.0, length-normalised)
 *   × (0.25 + coverage²)           coverage = share of question terms the chunk contains
 *   + 0.6 × coverage × ts_rank_cd of the title/heading weights only   (title/heading boost)
 *   × OTHER_LANGUAGE_WEIGHT when the chunk is in another language than the question
 *   × (1 + PHRASE_WEIGHT × share of the question's neighbouring term pairs found in order, close)
 * then (semantic retrieval on) fused with the question's vector neighbours by reciprocal rank fusion,
 * then near-duplicates are dropped and at most ASK_MAX_CHUNKS_PER_PAGE chunks per page kept.
 * Only a pre-selection of at most ASK_CANDIDATE_BUDGET chunks is scored (see `preselection`).
 * The SQL is ingestion's index (ChunkIndexService); this service weighs languages and diversifies.
 */
@Injectable()
export class RetrievalService {
  constructor(
    private readonly index: ChunkIndexService,
    @Inject(askConfig.KEY) private readonly cfg: AskConfig,
    private readonly semantic: SemanticSearch,
    private readonly expansion: QueryExpansion,
  ) {}

  /**
   * `lang` is the question's language (detected when not given): its question words are removed
   * before the question meets any configuration, and chunks in another language (other than
   * `simple`, which is no language) rank at OTHER_LANGUAGE_WEIGHT of their score.
   */
  async search(
    sourceIds: string[],
    question: string,
    topK: number,
    lang: string | null = questionLanguage(question),
  ): Promise<Passage[]> {
    if (!sourceIds.length) return [];
    const text = contentWords(question, lang);
    const rows = await this.index.lexemesByConfig(sourceIds, text);
    const own = lang ? textSearchConfig(lang) : null;
    const extra = await this.expansionLexemes(sourceIds, text, lang, own);
    const all: Passage[] = [];
    for (const { cfg, lexemes: terms } of rows) {
      if (!terms.length) continue;
      const weight = own && cfg !== own && cfg !== 'simple' ? OTHER_LANGUAGE_WEIGHT : 1;
      const found = await this.index.candidates({
        sourceIds,
        config: cfg,
        terms,
        expansions: cfg === own ? extra.filter((x) => !terms.includes(x)) : [],
        limit: this.cfg.candidates,
        budget: this.cfg.candidateBudget,
      });
      const ordered = termsInOrder(text, terms);
      for (const r of found) {
        const p = toPassage(r, terms, weight);
        p.score *= 1 + PHRASE_WEIGHT * phraseShare(`${r.heading_path.join(' ')} ${r.text}`, ordered);
        all.push(p);
      }
    }
    let ranked = all.sort((a, b) => b.score - a.score);
    // With EMBEDDINGS_BASE_URL set, vector neighbours join by reciprocal rank fusion (docs/ask.md).
    if (this.semantic.configured)
      ranked = await this.semantic.fuse(
        sourceIds,
        question,
        ranked,
        (c) => rows.find((r) => r.cfg === c)?.lexemes ?? [],
      );
    const top = this.diversify(ranked, topK);
    await this.addSnippets(top);
    return top;
  }

  /**
   * Lexemes of the query expansion's words (ASK_QUERY_EXPANSION) under the question language's
   * configuration: synonyms are words of that language, so other configurations get none.
   */
  private async expansionLexemes(sourceIds: string[], text: string, lang: string | null, own: string | null) {
    const words = own ? this.expansion.words(text, lang) : [];
    if (!words.length) return [];
    const rows = await this.index.lexemesByConfig(sourceIds, words.join(' '));
    return rows.find((r) => r.cfg === own)?.lexemes ?? [];
  }

  /** Near-identical passages (same leading text or ≥ 80 % shared word shingles) collapse; per-page cap. */
  private diversify(sorted: Passage[], topK: number): Passage[] {
    const out: Passage[] = [];
    const perPage = new Map<string, number>();
    const shingles: Set<string>[] = [];
    for (const p of sorted) {
      if ((perPage.get(p.pageId) ?? 0) >= this.cfg.maxChunksPerPage) continue;
      const sh = shingleSet(p.text);
      if (shingles.some((s) => jaccard(s, sh) >= 0.8)) continue;
      out.push(p);
      shingles.push(sh);
      perPage.set(p.pageId, (perPage.get(p.pageId) ?? 0) + 1);
      if (out.length >= topK) break;
    }
    return out;
  }

  /** ts_headline only for the few passages returned (it is the expensive part); markers become ranges (see parseHeadline). */
  private async addSnippets(passages: Passage[]): Promise<void> {
    if (!passages.length) return;
    const byId = await this.index.headlines(passages, HEADLINE_OPTIONS);
    for (const p of passages) Object.assign(p, parseHeadline(byId.get(p.chunkId) ?? p.text.slice(0, 240)));
  }
}

function toPassage(r: CandidateRow, terms: string[], weight: number): Passage {
  return {
    chunkId: r.id,
    pageId: r.page_id,
    url: r.url,
    title: r.page_title,
    headingPath: r.heading_path,
    text: r.text,
    snippet: r.snippet,
    highlights: [],
    score: Number(r.score) * weight,
    coverage: Number(r.coverage),
    terms,
  };
}

function shingleSet(text: string): Set<string> {
  const w = text.toLowerCase().match(/\w+/g) ?? [];
  const s = new Set<string>();
  for (let i = 0; i + 3 <= w.length; i++) s.add(w.slice(i, i + 3).join(' '));
  return s;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
