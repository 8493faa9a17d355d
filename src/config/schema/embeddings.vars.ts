import { str, int, VarSpec } from './kinds';

/** Environment variables of optional semantic retrieval (group `ask`; see docs/ask.md "Semantic retrieval"). */
export const EMBEDDINGS_VARS = {
  EMBEDDINGS_BASE_URL: str({
    group: 'ask',
    default: '',
    allowEmpty: true,
    pattern: /^https?:\/\/\S+$/,
    doc: 'OpenAI-compatible embeddings API base: requests go to {base}/v1/embeddings ({base}/embeddings when it already ends in /v1); empty keeps retrieval full-text only',
  }),
  EMBEDDINGS_API_KEY: str({
    group: 'ask',
    default: '',
    allowEmpty: true,
    secret: true,
    doc: 'Bearer key for EMBEDDINGS_BASE_URL (empty for local servers)',
  }),
  EMBEDDINGS_MODEL: str({
    group: 'ask',
    default: '',
    allowEmpty: true,
    doc: 'Model name sent to EMBEDDINGS_BASE_URL; vectors are stored per model, so changing it re-embeds every chunk at the next crawl',
  }),
  EMBEDDINGS_DIMENSIONS: int({
    group: 'ask',
    default: 0,
    min: 0,
    max: 16000,
    doc: 'Vector length asked of the model (`dimensions`); 0 takes what the model returns. A response of another length is refused',
  }),
  EMBEDDINGS_BATCH_SIZE: int({
    group: 'ask',
    default: 64,
    min: 1,
    max: 2048,
    doc: 'Chunks sent in one embeddings request',
  }),
  EMBEDDINGS_TIMEOUT_MS: int({
    group: 'ask',
    default: 15000,
    min: 100,
    max: 300000,
    doc: 'One embeddings request (each retry has its own)',
  }),
  EMBEDDINGS_MAX_RETRIES: int({
    group: 'ask',
    default: 2,
    min: 0,
    max: 5,
    doc: 'Retries of a crawl embeddings request on 429/5xx/network errors/timeouts, with exponential backoff',
  }),
  EMBEDDINGS_JOB_BUDGET_SECONDS: int({
    group: 'ask',
    default: 600,
    min: 1,
    max: 86400,
    doc: "Longest a crawl job spends embedding its source's new chunks; the rest stay full-text only until the next crawl",
  }),
  EMBEDDINGS_QUERY_TIMEOUT_MS: int({
    group: 'ask',
    default: 2000,
    min: 50,
    max: 60000,
    doc: 'Embedding a question (no retry); beyond it the question is answered from full-text search alone',
  }),
  EMBEDDINGS_MIN_SIMILARITY_PERCENT: int({
    group: 'ask',
    default: 50,
    min: 1,
    max: 100,
    doc: 'Cosine similarity (percent) at which the best passage counts as answering even when it shares too few words with the question (ASK_MIN_COVERAGE_PERCENT)',
  }),
  EMBEDDINGS_RRF_K: int({
    group: 'ask',
    default: 60,
    min: 1,
    max: 1000,
    doc: 'k of reciprocal rank fusion (score = sum of 1/(k + rank)) merging full-text and vector rankings',
  }),
} as const satisfies Record<string, VarSpec>;
