import { str, int, bool, oneOf, VarSpec } from './kinds';

/** Environment variables of the `ask` group: retrieval, answers and the optional LLM (see ../env.schema.ts). */
export const ASK_VARS = {
  ASK_PROVIDER: oneOf({
    group: 'ask',
    values: ['extractive', 'openai-compatible'] as const,
    default: 'extractive',
    doc: 'Answer provider used when a request does not choose (generative mode needs openai-compatible settings)',
  }),
  ASK_CANDIDATES: int({
    group: 'ask',
    default: 60,
    min: 5,
    max: 500,
    doc: 'Chunks ranked by full-text search before dedupe and the per-page cap',
  }),
  ASK_CANDIDATE_BUDGET: int({
    group: 'ask',
    default: 2000,
    min: 100,
    max: 100000,
    doc: 'Most chunks scored per question; rare question terms pick which (bounds retrieval time on large indexes)',
  }),
  ASK_MAX_CHUNKS_PER_PAGE: int({
    group: 'ask',
    default: 2,
    min: 1,
    max: 20,
    doc: 'At most this many chunks of one page among the top K',
  }),
  ASK_MIN_COVERAGE_PERCENT: int({
    group: 'ask',
    default: 50,
    min: 1,
    max: 100,
    doc: 'Share of question terms the best passage must contain, else the answer is "no passage answers this"',
  }),
  ASK_ANSWER_MAX_CHARS: int({
    group: 'ask',
    default: 700,
    min: 100,
    max: 10000,
    doc: 'Length budget of an extractive answer',
  }),
  ASK_QUERY_EXPANSION: oneOf({
    group: 'ask',
    values: ['off', 'mythes'] as const,
    default: 'off',
    doc: 'mythes adds one thesaurus synonym per question word (Debian mythes-en-us, mythes-fr), counting half toward coverage (see docs/ask.md)',
  }),
  ASK_MYTHES_DIR: str({
    group: 'ask',
    default: '/usr/share/mythes',
    doc: 'Directory of MyThes thesaurus files (Debian mythes-en-us, mythes-fr) for ASK_QUERY_EXPANSION=mythes',
  }),
  ASK_DAILY_QUOTA: int({
    group: 'ask',
    default: 0,
    min: 0,
    max: 1000000,
    doc: 'Questions per user per UTC day (0 = unlimited); over it answers 429',
  }),
  LLM_BASE_URL: str({
    group: 'ask',
    default: '',
    allowEmpty: true,
    pattern: /^https?:\/\/\S+$/,
    doc: 'OpenAI-compatible API base including /v1 (OpenAI, Ollama, vLLM, LM Studio); empty disables generative answers',
  }),
  LLM_API_KEY: str({
    group: 'ask',
    default: '',
    allowEmpty: true,
    secret: true,
    doc: 'Bearer key for LLM_BASE_URL (empty for local servers)',
  }),
  LLM_MODEL: str({ group: 'ask', default: '', allowEmpty: true, doc: 'Model name sent to LLM_BASE_URL' }),
  LLM_TIMEOUT_MS: int({
    group: 'ask',
    default: 60000,
    min: 500,
    max: 300000,
    doc: 'Whole generative call, retries included; over it answers 504',
  }),
  LLM_MAX_RETRIES: int({
    group: 'ask',
    default: 2,
    min: 0,
    max: 5,
    doc: 'Retries on 429/5xx/network errors before any output, with exponential backoff',
  }),
  LLM_MAX_TOKENS: int({ group: 'ask', default: 512, min: 16, max: 8192, doc: 'max_tokens of a generative answer' }),
  LLM_FALLBACK_TO_EXTRACTIVE: bool({
    group: 'ask',
    default: false,
    doc: 'When the LLM fails before answering, answer extractively instead of 502/504',
  }),
} as const satisfies Record<string, VarSpec>;
