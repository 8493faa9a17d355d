export const INGESTION_QUEUE = 'ingestion';

export interface CrawlJobData {
  jobId: string;
}

/** Domain events (payload `{ sourceId, jobId, userId, counters }`), delivered by the webhooks module. */
export const IngestionEvents = {
  Completed: 'ingestion.completed',
  Failed: 'ingestion.failed',
} as const;
