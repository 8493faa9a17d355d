import type { BoolSpec, EnumSpec, IntSpec, ListSpec, StringSpec } from './env.schema';

/**
 * Ingestion and crawler variables, kept beside the main table (env.schema.ts spreads them in)
 * so that file stays readable. Every crawl limit is here.
 */
const int = (s: Omit<IntSpec, 'kind'>): IntSpec => ({ kind: 'int', ...s });
const bool = (s: Omit<BoolSpec, 'kind'>): BoolSpec => ({ kind: 'bool', ...s });
const str = (s: Omit<StringSpec, 'kind'>): StringSpec => ({ kind: 'string', ...s });
const list = (s: Omit<ListSpec, 'kind'>): ListSpec => ({ kind: 'list', ...s });
function oneOf<T extends string>(s: Omit<EnumSpec<T>, 'kind'>): EnumSpec<T> {
  return { kind: 'enum', ...s };
}

export const INGESTION_ENV_SPEC = {
  INGESTION_MAX_PAGES: int({ group: 'ingestion', default: 500, min: 1, max: 100000, doc: 'Upper bound of maxPages a source may ask for' }),
  INGESTION_WORKER_CONCURRENCY: int({ group: 'ingestion', default: 2, min: 1, max: 64, doc: 'Crawl jobs one worker process runs at the same time' }),
  INGESTION_FETCH_CONCURRENCY: int({ group: 'ingestion', default: 4, min: 1, max: 64, doc: 'Parallel page fetches inside one crawl job' }),
  INGESTION_HOST_CONCURRENCY: int({ group: 'ingestion', default: 4, min: 1, max: 64, doc: 'Parallel requests to one host across a worker process' }),
  INGESTION_JOB_TIMEOUT_SECONDS: int({ group: 'ingestion', default: 1800, min: 5, max: 86400, doc: 'A crawl job running longer than this is stopped and marked failed' }),
  INGESTION_STALLED_INTERVAL_MS: int({ group: 'ingestion', default: 30000, min: 1000, max: 600000, doc: 'How often BullMQ looks for jobs whose worker died (lock lost); they are retried' }),
  INGESTION_JOB_ATTEMPTS: int({ group: 'ingestion', default: 2, min: 1, max: 10, doc: 'Attempts of a crawl job (a stalled job counts as one) before it is failed' }),
  INGESTION_CHUNK_SIZE: int({ group: 'ingestion', default: 1200, min: 200, max: 20000, doc: 'Target chunk size in characters' }),
  INGESTION_CHUNK_OVERLAP: int({ group: 'ingestion', default: 150, min: 0, max: 5000, doc: 'Characters repeated between consecutive chunks of one section' }),
  CRAWLER_USER_AGENT: str({ group: 'ingestion', default: 'nexcore-crawler/0.1 (+https://github.com/nexcore)', minLength: 3, doc: 'User-Agent sent by the crawler (and matched in robots.txt)' }),
  CRAWLER_CONNECT_TIMEOUT_MS: int({ group: 'ingestion', default: 5000, min: 100, max: 60000, doc: 'TCP/TLS connect timeout per request' }),
  CRAWLER_HEADERS_TIMEOUT_MS: int({ group: 'ingestion', default: 10000, min: 100, max: 120000, doc: 'Time to receive response headers' }),
  CRAWLER_BODY_TIMEOUT_MS: int({ group: 'ingestion', default: 15000, min: 100, max: 300000, doc: 'Time to receive the whole body' }),
  CRAWLER_MAX_BODY_BYTES: int({ group: 'ingestion', default: 5 * 1024 * 1024, min: 1024, max: 100 * 1024 * 1024, doc: 'Larger bodies are cut off and the page skipped (reason size)' }),
  CRAWLER_MAX_REDIRECTS: int({ group: 'ingestion', default: 5, min: 0, max: 20, doc: 'Redirect hops followed per URL (each hop re-checked by the SSRF guard)' }),
  CRAWLER_POLITENESS_DELAY_MS: int({ group: 'ingestion', default: 250, min: 0, max: 60000, doc: 'Minimum delay between requests to one host (robots Crawl-delay wins when larger)' }),
  CRAWLER_MAX_CRAWL_DELAY_SECONDS: int({ group: 'ingestion', default: 10, min: 0, max: 600, doc: 'Cap on a robots.txt Crawl-delay' }),
  CRAWLER_ALLOW_PRIVATE_NETWORKS: bool({ group: 'ingestion', default: false, doc: 'Let the crawler reach loopback/private/link-local addresses (tests and trusted intranets only)' }),
  CRAWLER_ALLOWED_HOSTS: list({ group: 'ingestion', default: [], doc: 'Comma list of hosts exempt from the private-address block' }),
  ASK_PROVIDER: oneOf({ group: 'ask', values: ['extractive', 'openai-compatible'] as const, default: 'extractive', doc: 'Answer provider used when a request does not choose (generative mode needs openai-compatible settings)' }),
  ASK_CANDIDATES: int({ group: 'ask', default: 60, min: 5, max: 500, doc: 'Chunks ranked by full-text search before dedupe and the per-page cap' }),
  ASK_MAX_CHUNKS_PER_PAGE: int({ group: 'ask', default: 2, min: 1, max: 20, doc: 'At most this many chunks of one page among the top K' }),
  ASK_MIN_COVERAGE_PERCENT: int({ group: 'ask', default: 50, min: 1, max: 100, doc: 'Share of question terms the best passage must contain, else the answer is "no passage answers this"' }),
  ASK_ANSWER_MAX_CHARS: int({ group: 'ask', default: 700, min: 100, max: 10000, doc: 'Length budget of an extractive answer' }),
  ASK_DAILY_QUOTA: int({ group: 'ask', default: 0, min: 0, max: 1000000, doc: 'Questions per user per UTC day (0 = unlimited); over it answers 429' }),
  LLM_BASE_URL: str({ group: 'ask', default: '', allowEmpty: true, pattern: /^https?:\/\/\S+$/, doc: 'OpenAI-compatible API base including /v1 (OpenAI, Ollama, vLLM, LM Studio); empty disables generative answers' }),
  LLM_API_KEY: str({ group: 'ask', default: '', allowEmpty: true, secret: true, doc: 'Bearer key for LLM_BASE_URL (empty for local servers)' }),
  LLM_MODEL: str({ group: 'ask', default: '', allowEmpty: true, doc: 'Model name sent to LLM_BASE_URL' }),
  LLM_TIMEOUT_MS: int({ group: 'ask', default: 60000, min: 500, max: 300000, doc: 'Whole generative call, retries included; over it answers 504' }),
  LLM_MAX_RETRIES: int({ group: 'ask', default: 2, min: 0, max: 5, doc: 'Retries on 429/5xx/network errors before any output, with exponential backoff' }),
  LLM_MAX_TOKENS: int({ group: 'ask', default: 512, min: 16, max: 8192, doc: 'max_tokens of a generative answer' }),
  LLM_FALLBACK_TO_EXTRACTIVE: bool({ group: 'ask', default: false, doc: 'When the LLM fails before answering, answer extractively instead of 502/504' }),
};
