import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { IngestionJobEntity } from './entities/ingestion-job.entity';
import { JobStatus } from './job-status';
import { Transactions } from '../../database/transactions';

/** A per-job tally column of ingestion_jobs. */
export type JobCounter =
  | 'discovered'
  | 'indexed'
  | 'unchanged'
  | 'skipped_robots'
  | 'skipped_duplicate'
  | 'skipped_type'
  | 'skipped_size'
  | 'skipped_depth'
  | 'skipped_error';
const COUNTERS = new Set<JobCounter>([
  'discovered',
  'indexed',
  'unchanged',
  'skipped_robots',
  'skipped_duplicate',
  'skipped_type',
  'skipped_size',
  'skipped_depth',
  'skipped_error',
]);

@Injectable()
export class IngestionJobsRepository {
  constructor(
    @InjectRepository(IngestionJobEntity) private readonly repo: Repository<IngestionJobEntity>,
    private readonly tx: Transactions,
  ) {}

  create(data: Pick<IngestionJobEntity, 'sourceId' | 'userId' | 'maxPages'>): Promise<IngestionJobEntity> {
    return this.repo.save(this.repo.create(data));
  }

  find(id: string): Promise<IngestionJobEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findOwned(id: string, userId: string): Promise<IngestionJobEntity | null> {
    return this.repo.findOne({ where: { id, userId } });
  }

  async status(id: string): Promise<JobStatus | null> {
    const rows: { status: JobStatus }[] = await this.repo.query(`SELECT status FROM ingestion_jobs WHERE id = $1`, [
      id,
    ]);
    return rows[0]?.status ?? null;
  }

  /** queued/running → running (a resumed attempt too); null when the job already ended or was cancelled. */
  async start(id: string): Promise<IngestionJobEntity | null> {
    const [rows]: [{ id: string }[], number] = await this.repo.query(
      `UPDATE ingestion_jobs SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id],
    );
    return rows?.length ? this.find(id) : null;
  }

  /**
   * Ends a job that has not ended yet; returns false when it already had (first writer wins).
   * `onEnded` runs in the same transaction with the ended row (it writes the job's webhook
   * outbox row), so the end and its event commit together or not at all.
   */
  async finish(
    id: string,
    status: Exclude<JobStatus, 'queued' | 'running'>,
    lastError: string | null = null,
    onEnded?: (m: EntityManager, job: IngestionJobEntity) => Promise<void>,
  ): Promise<boolean> {
    return this.tx.run(async (m) => {
      const [rows]: [{ id: string }[], number] = await m.query(
        `UPDATE ingestion_jobs SET status = $2, finished_at = now(), last_error = COALESCE($3, last_error)
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id, status, lastError],
      );
      if (!rows?.length) return false;
      await m.query(
        `UPDATE sources s SET status = $2, updated_at = now() FROM ingestion_jobs j WHERE j.id = $1 AND s.id = j.source_id AND s.last_job_id = j.id`,
        [id, status],
      );
      if (onEnded) await onEnded(m, (await m.findOne(IngestionJobEntity, { where: { id } }))!);
      return true;
    });
  }

  async markSourceRunning(id: string): Promise<void> {
    await this.repo.query(
      `UPDATE sources s SET status = 'running' FROM ingestion_jobs j WHERE j.id = $1 AND s.id = j.source_id AND s.last_job_id = j.id`,
      [id],
    );
  }

  async bump(id: string, counter: JobCounter, by = 1): Promise<void> {
    if (!COUNTERS.has(counter) || by === 0) return;
    await this.repo.query(`UPDATE ingestion_jobs SET ${counter} = ${counter} + $2 WHERE id = $1`, [id, by]);
  }

  async bumpMany(id: string, batch: [JobCounter, number][]): Promise<void> {
    const sets = batch.filter(([c, n]) => COUNTERS.has(c) && n).map(([c, n]) => `${c} = ${c} + ${Math.trunc(n)}`);
    if (sets.length) await this.repo.query(`UPDATE ingestion_jobs SET ${sets.join(', ')} WHERE id = $1`, [id]);
  }

  /**
   * Exact outcome counters from the pages this job visited (progress counters are batched and
   * an attempt killed mid-way may have lost some). Depth and discovery stay as counted.
   */
  async recount(id: string): Promise<void> {
    await this.repo.query(
      `UPDATE ingestion_jobs j SET indexed = c.indexed, unchanged = c.unchanged, skipped_robots = c.robots, skipped_duplicate = c.duplicate,
              skipped_type = c.type, skipped_size = c.size, skipped_error = c.error
         FROM (SELECT count(*) FILTER (WHERE status = 'indexed') AS indexed,
                      count(*) FILTER (WHERE status = 'unchanged') AS unchanged,
                      count(*) FILTER (WHERE skip_reason = 'robots') AS robots,
                      count(*) FILTER (WHERE skip_reason = 'duplicate') AS duplicate,
                      count(*) FILTER (WHERE skip_reason IN ('type', 'binary', 'encoding')) AS type,
                      count(*) FILTER (WHERE skip_reason = 'size') AS size,
                      count(*) FILTER (WHERE status = 'failed' OR skip_reason IN ('redirect', 'offsite')) AS error
                 FROM pages WHERE visit_job_id = $1) c
        WHERE j.id = $1`,
      [id],
    );
  }

  async recordError(id: string, error: string): Promise<void> {
    await this.repo.query(`UPDATE ingestion_jobs SET last_error = $2 WHERE id = $1`, [id, error.slice(0, 1000)]);
  }

  /** Unfinished jobs older than `olderThanMs` (queued since creation, or running since start). */
  async unfinishedOlderThan(olderThanMs: number): Promise<IngestionJobEntity[]> {
    return this.repo
      .createQueryBuilder('j')
      .where(`j.status IN ('queued', 'running')`)
      .andWhere(`COALESCE(j.started_at, j.created_at) < now() - make_interval(secs => :s)`, { s: olderThanMs / 1000 })
      .getMany();
  }

  latestForSource(sourceId: string): Promise<IngestionJobEntity | null> {
    return this.repo.findOne({ where: { sourceId }, order: { createdAt: 'DESC' } });
  }

  allForUser(userId: string): Promise<IngestionJobEntity[]> {
    return this.repo.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }
}
