import { str, int, bool, list, VarSpec } from './kinds';

/** Environment variables of the `ingestion` (crawler) group (see ../env.schema.ts). */
export const INGESTION_VARS = {
  INGESTION_MAX_PAGES: int({ group: 'ingestion', default: 500, min: 1, max: 100000, doc: 'Upper bound of maxPages a source may ask for' }),
  INGESTION_WORKER_CONCURRENCY: int({ group: 'ingestion', default: 2, min: 1, max: 64, doc: 'Crawl jobs one worker process runs at the same time' }),
  INGESTION_USER_CONCURRENCY: int({ group: 'ingestion', default: 1, min: 1, max: 64, doc: "Crawl jobs of one user a worker process runs at the same time; the user's other jobs wait so one user's slow sites cannot take every slot" }),
  INGESTION_FETCH_CONCURRENCY: int({ group: 'ingestion', default: 4, min: 1, max: 64, doc: 'Parallel page fetches inside one crawl job' }),
  INGESTION_MAX_FRONTIER: int({ group: 'ingestion', default: 20000, min: 10, max: 1000000, doc: 'URLs one crawl job may queue in total (at least INGESTION_MAX_PAGES); links found beyond it are dropped (bounds link mazes)' }),
  CRAWLER_MAX_LINKS_PER_PAGE: int({ group: 'ingestion', default: 1000, min: 1, max: 100000, doc: 'Links of one page that are queued; the rest of the page links are dropped' }),
  INGESTION_HOST_CONCURRENCY: int({ group: 'ingestion', default: 4, min: 1, max: 64, doc: 'Parallel requests to one host across a worker process' }),
  INGESTION_JOB_TIMEOUT_SECONDS: int({ group: 'ingestion', default: 1800, min: 5, max: 86400, doc: 'A crawl job running longer than this is stopped and marked failed' }),
  INGESTION_STALLED_INTERVAL_MS: int({ group: 'ingestion', default: 30000, min: 1000, max: 600000, doc: 'How often BullMQ looks for jobs whose worker died (lock lost); they are retried' }),
  INGESTION_JOB_ATTEMPTS: int({ group: 'ingestion', default: 2, min: 1, max: 10, doc: 'Attempts of a crawl job (a stalled job counts as one) before it is failed' }),
  INGESTION_CHUNK_SIZE: int({ group: 'ingestion', default: 1200, min: 200, max: 20000, doc: 'Target chunk size in characters' }),
  INGESTION_CHUNK_OVERLAP: int({ group: 'ingestion', default: 150, min: 0, max: 5000, doc: 'Characters repeated between consecutive chunks of one section' }),
  INGESTION_EVENTS_MAX_STREAMS_PER_USER: int({ group: 'ingestion', default: 5, min: 1, max: 1000, doc: 'Open job progress streams (GET /ingestion-jobs/:id/events) one user may hold per instance; more answer 429' }),
  INGESTION_EVENTS_RECHECK_SECONDS: int({ group: 'ingestion', default: 30, min: 1, max: 3600, doc: 'How often an open job progress stream re-checks its caller (disabled, erased, revoked key: the stream ends)' }),
  CRAWLER_USER_AGENT: str({ group: 'ingestion', default: 'nexcore-crawler/0.1 (+https://github.com/nexcore)', minLength: 3, doc: 'User-Agent sent by the crawler (and matched in robots.txt)' }),
  CRAWLER_CONNECT_TIMEOUT_MS: int({ group: 'ingestion', default: 5000, min: 100, max: 60000, doc: 'TCP/TLS connect timeout per request' }),
  CRAWLER_HEADERS_TIMEOUT_MS: int({ group: 'ingestion', default: 10000, min: 100, max: 120000, doc: 'Time to receive response headers' }),
  CRAWLER_BODY_TIMEOUT_MS: int({ group: 'ingestion', default: 15000, min: 100, max: 300000, doc: 'Deadline for the whole body once the headers arrived (a page dripping bytes is cut off; not an idle timeout)' }),
  CRAWLER_MAX_BODY_BYTES: int({ group: 'ingestion', default: 5 * 1024 * 1024, min: 1024, max: 100 * 1024 * 1024, doc: 'Larger bodies are cut off and the page skipped (reason size)' }),
  CRAWLER_MAX_REDIRECTS: int({ group: 'ingestion', default: 5, min: 0, max: 20, doc: 'Redirect hops followed per URL (each hop re-checked by the SSRF guard)' }),
  CRAWLER_POLITENESS_DELAY_MS: int({ group: 'ingestion', default: 250, min: 0, max: 60000, doc: 'Minimum delay between requests to one host (robots Crawl-delay wins when larger)' }),
  CRAWLER_MAX_CRAWL_DELAY_SECONDS: int({ group: 'ingestion', default: 10, min: 0, max: 600, doc: 'Cap on a robots.txt Crawl-delay' }),
  CRAWLER_ALLOW_PRIVATE_NETWORKS: bool({ group: 'ingestion', default: false, doc: 'Let the crawler reach loopback/private/link-local addresses (tests and trusted intranets only)' }),
  CRAWLER_ALLOWED_HOSTS: list({ group: 'ingestion', default: [], doc: 'Comma list of hosts exempt from the private-address block' }),
} as const satisfies Record<string, VarSpec>;
