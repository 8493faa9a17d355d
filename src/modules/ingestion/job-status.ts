/** Where an ingestion job is; a source keeps the status of its latest job. */
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
