import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

export const PAGES_FETCHED = 'ingestion_pages_fetched_total';
export const PAGES_INDEXED = 'ingestion_pages_indexed_total';
export const PAGES_SKIPPED = 'ingestion_pages_skipped_total';
export const FETCH_DURATION = 'ingestion_fetch_duration_seconds';
export const QUEUE_DEPTH = 'ingestion_queue_depth';
export const ACTIVE_JOBS = 'ingestion_active_jobs';
export const JOBS_FINISHED = 'ingestion_jobs_finished_total';

export const INGESTION_METRICS = [
  makeCounterProvider({ name: PAGES_FETCHED, help: 'Pages fetched by the crawler (any outcome)' }),
  makeCounterProvider({ name: PAGES_INDEXED, help: 'Pages extracted, chunked and indexed' }),
  makeCounterProvider({ name: PAGES_SKIPPED, help: 'Pages skipped, by reason', labelNames: ['reason'] }),
  makeHistogramProvider({
    name: FETCH_DURATION,
    help: 'Crawler fetch latency',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeGaugeProvider({ name: QUEUE_DEPTH, help: 'Crawl jobs waiting in the queue (sampled)' }),
  makeGaugeProvider({ name: ACTIVE_JOBS, help: 'Crawl jobs running in this process' }),
  makeCounterProvider({ name: JOBS_FINISHED, help: 'Crawl jobs ended, by status', labelNames: ['status'] }),
];
