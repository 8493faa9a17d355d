import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { waitFor } from '../support/redis-server';
import { bearer, http, TestUser } from '../support/auth';

/** Crawler limits small enough for the fixture site, and 127.0.0.1 opened for it. */
export const CRAWL_TEST_ENV: Record<string, string> = {
  CRAWLER_ALLOW_PRIVATE_NETWORKS: 'true',
  CRAWLER_POLITENESS_DELAY_MS: '0',
  CRAWLER_HEADERS_TIMEOUT_MS: '700',
  CRAWLER_BODY_TIMEOUT_MS: '2000',
  CRAWLER_MAX_BODY_BYTES: '65536',
  INGESTION_CHUNK_SIZE: '300',
  INGESTION_CHUNK_OVERLAP: '40',
  INGESTION_STALLED_INTERVAL_MS: '2000',
};

export interface JobBody {
  id: string;
  status: string;
  fetched?: number;
  counters: {
    discovered: number;
    fetched: number;
    indexed: number;
    unchanged: number;
    skipped: Record<string, number>;
  };
  lastError: string | null;
}

export async function waitForJob(
  app: NestFastifyApplication,
  user: TestUser,
  jobId: string,
  timeoutMs = 30000,
): Promise<JobBody> {
  const res = await waitFor(
    () => http(app).get(`/api/v1/ingestion-jobs/${jobId}`).set(bearer(user.accessToken)),
    (r) => ['completed', 'failed', 'cancelled'].includes(r.body.status),
    timeoutMs,
  );
  return res.body;
}

export async function submit(
  app: NestFastifyApplication,
  user: TestUser,
  body: Record<string, unknown>,
): Promise<{ id: string; job: JobBody }> {
  const res = await http(app).post('/api/v1/sources').set(bearer(user.accessToken)).send(body);
  if (res.status !== 202) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
