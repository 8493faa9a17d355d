import type { TraceCarrier } from '../../common/tracing/job-trace';

export const INGESTION_QUEUE = 'ingestion';

export interface CrawlJobData {
  jobId: string;
  /** Owner of the job (per-user concurrency); jobs queued before it existed are looked up. */
  userId?: string;
  /** Request that queued the crawl: the worker logs under it and passes it to the webhooks. */
  requestId?: string;
  /** Trace context of that request (only with tracing on), so the crawl joins its trace. */
  trace?: TraceCarrier;
}
