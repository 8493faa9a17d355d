import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Chunk } from './extract/chunker';
import { PageEntity } from './entities/page.entity';
import { Transactions } from '../../database/transactions';

export interface Discovery {
  url: string;
  depth: number;
}
export interface PageRow {
  id: string;
  url: string;
  depth: number;
  status: string;
  contentHash: string | null;
  etag: string | null;
  lastModified: string | null;
}
/** A chunk with its language; without one it takes the page's. */
export type LanguageChunk = Chunk & { lang?: string | null; tsConfig?: string };

export interface IndexedPage {
  title: string;
  lang: string | null;
  tsConfig: string;
  text: string;
  contentHash: string;
  httpStatus: number;
  etag: string | null;
  lastModified: string | null;
}

/**
 * Multi-row upserts lock rows in input order; two lanes upserting overlapping link sets in
 * different orders deadlock. One global order (by URL) prevents it.
 */
function byUrl(items: Discovery[]): Discovery[] {
  return [...items].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

const ROW = `id, url, depth, status, content_hash AS "contentHash", etag, last_modified AS "lastModified"`;

/** Pages and their chunks: the crawl frontier and the index, written idempotently. */
@Injectable()
export class PagesRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: Transactions,
  ) {}

  /**
   * Adds URLs to this job's frontier. A URL already visited (or queued) by this job is left
   * alone, so re-discovery and resumed attempts never duplicate; returns how many were new to the job.
   */
  async discover(sourceId: string, jobId: string, unsorted: Discovery[]): Promise<number> {
    if (!unsorted.length) return 0;
    const items = byUrl(unsorted);
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO pages (source_id, url, depth, visit_job_id, visit_state)
         SELECT $1, t.url, t.depth, $2, 'queued' FROM unnest($3::text[], $4::int[]) AS t(url, depth) ORDER BY t.url
       ON CONFLICT (source_id, url) DO UPDATE SET visit_job_id = EXCLUDED.visit_job_id, visit_state = 'queued', depth = LEAST(pages.depth, EXCLUDED.depth)
         WHERE pages.visit_job_id IS DISTINCT FROM EXCLUDED.visit_job_id
       RETURNING id`,
      [sourceId, jobId, items.map((i) => i.url), items.map((i) => i.depth)],
    );
    return rows.length;
  }

  /** Records URLs robots.txt forbids (not fetched, not counted against maxPages). */
  async skipUnvisited(sourceId: string, jobId: string, unsorted: Discovery[], reason: string): Promise<number> {
    if (!unsorted.length) return 0;
    const items = byUrl(unsorted);
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO pages (source_id, url, depth, visit_job_id, visit_state, status, skip_reason)
         SELECT $1, t.url, t.depth, $2, 'done', 'skipped', $5 FROM unnest($3::text[], $4::int[]) AS t(url, depth) ORDER BY t.url
       ON CONFLICT (source_id, url) DO UPDATE SET visit_job_id = EXCLUDED.visit_job_id, visit_state = 'done', status = 'skipped', skip_reason = EXCLUDED.skip_reason
         WHERE pages.visit_job_id IS DISTINCT FROM EXCLUDED.visit_job_id
       RETURNING id`,
      [sourceId, jobId, items.map((i) => i.url), items.map((i) => i.depth), reason],
    );
    return rows.length;
  }

  /** Known pages of the source, re-queued for a recrawl. */
  async requeueKnown(sourceId: string, jobId: string): Promise<number> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, count]: [unknown[], number] = await this.ds.query(
      `UPDATE pages SET visit_job_id = $2, visit_state = 'queued'
        WHERE source_id = $1 AND fetched_at IS NOT NULL AND visit_job_id IS DISTINCT FROM $2`,
      [sourceId, jobId],
    );
    return count;
  }

  /**
   * Takes the next queued page and a fetch slot in one statement: the slot is counted on the job
   * row only if a page is taken and only while `fetched < max_pages`, so maxPages holds exactly
   * whatever the concurrency.
   */
  async claimNext(jobId: string): Promise<PageRow | null> {
    const [rows]: [PageRow[], number] = await this.ds.query(
      `WITH p AS (SELECT id FROM pages WHERE visit_job_id = $1 AND visit_state = 'queued' ORDER BY depth, discovered_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
            b AS (UPDATE ingestion_jobs SET fetched = fetched + 1 WHERE id = $1 AND fetched < max_pages AND EXISTS (SELECT 1 FROM p) RETURNING id)
       UPDATE pages SET visit_state = 'fetching' FROM p WHERE pages.id = p.id AND EXISTS (SELECT 1 FROM b)
       RETURNING ${ROW.replace(/(^|, )(\w+)/g, '$1pages.$2')}`,
      [jobId],
    );
    return rows[0] ?? null;
  }

  /** Pages a crashed attempt had taken (their slot is already counted): fetched again first. */
  orphaned(jobId: string): Promise<PageRow[]> {
    return this.ds.query(
      `SELECT ${ROW} FROM pages WHERE visit_job_id = $1 AND visit_state = 'fetching' ORDER BY depth`,
      [jobId],
    );
  }

  /** Another page of the source already holds this content in this crawl. */
  async hashTaken(sourceId: string, pageId: string, hash: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM pages WHERE source_id = $1 AND content_hash = $3 AND id <> $2 AND status IN ('indexed', 'unchanged') LIMIT 1`,
      [sourceId, pageId, hash],
    );
    return rows.length > 0;
  }

  async settle(
    pageId: string,
    patch: {
      status: string;
      httpStatus?: number | null;
      skipReason?: string | null;
      error?: string | null;
      etag?: string | null;
      lastModified?: string | null;
      contentHash?: string | null;
    },
  ): Promise<void> {
    await this.ds.query(
      `UPDATE pages SET visit_state = 'done', status = $2, http_status = $3, skip_reason = $4, error = $5, fetched_at = now(),
         etag = COALESCE($6, etag), last_modified = COALESCE($7, last_modified), content_hash = COALESCE($8, content_hash) WHERE id = $1`,
      [
        pageId,
        patch.status,
        patch.httpStatus ?? null,
        patch.skipReason ?? null,
        patch.error?.slice(0, 1000) ?? null,
        patch.etag ?? null,
        patch.lastModified ?? null,
        patch.contentHash ?? null,
      ],
    );
  }

  /**
   * Stores the page text and replaces its chunks in one transaction (delete + insert keyed by
   * (page, position)), so a retried or resumed page never ends up with duplicate chunks.
   */
  async index(sourceId: string, page: PageRow, p: IndexedPage, chunks: LanguageChunk[]): Promise<void> {
    const rows = chunks.map((c, i) => ({
      position: i,
      heading_path: c.headingPath,
      text: c.text,
      start_offset: c.start,
      end_offset: c.end,
      lang: c.lang ?? p.lang,
      ts_config: c.tsConfig ?? p.tsConfig,
    }));
    const configs = [...new Set(rows.map((r) => r.ts_config))];
    await this.tx.run(async (m) => {
      // Not waiting for the WAL flush: if the server crashes before it, this transaction is lost
      // as a whole, the page is still "fetching" and the resumed crawl indexes it again.
      await m.query(`SET LOCAL synchronous_commit = off`);
      await m.query(
        `UPDATE pages SET visit_state = 'done', status = 'indexed', http_status = $2, skip_reason = NULL, error = NULL, fetched_at = now(),
           title = $3, lang = $4, ts_config = $5, text = $6, content_hash = $7, etag = $8, last_modified = $9, chunk_configs = $10 WHERE id = $1`,
        [page.id, p.httpStatus, p.title, p.lang, p.tsConfig, p.text, p.contentHash, p.etag, p.lastModified, configs],
      );
      await m.query(`DELETE FROM chunks WHERE page_id = $1`, [page.id]);
      if (!chunks.length) return;
      // Each chunk is indexed with its own language's configuration (title included).
      await m.query(
        `INSERT INTO chunks (source_id, page_id, position, url, page_title, heading_path, text, start_offset, end_offset, lang, ts_config, tsv)
         SELECT $1, $2, t.position, $3, $4::text, t.heading_path, t.text, t.start_offset, t.end_offset, t.lang, t.ts_config,
                setweight(to_tsvector(t.ts_config::regconfig, $4::text), 'A')
             || setweight(to_tsvector(t.ts_config::regconfig, array_to_string(t.heading_path, ' ')), 'B')
             || setweight(to_tsvector(t.ts_config::regconfig, t.text), 'C')
           FROM jsonb_to_recordset($5::jsonb) AS t(position int, heading_path text[], text text, start_offset int, end_offset int, lang text, ts_config text)`,
        [sourceId, page.id, page.url, p.title, JSON.stringify(rows)],
      );
    });
  }

  /** Rows in this job's frontier (queued, being fetched or done). */
  async countForJob(jobId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM pages WHERE visit_job_id = $1`,
      [jobId],
    );
    return n;
  }

  /**
   * A cancelled or timed-out crawl: the pages it discovered but never fetched (a link maze can
   * leave thousands) are deleted, those it was fetching included; the rest leave the frontier.
   */
  async dropUnfetched(jobId: string): Promise<number> {
    const [, n]: [unknown[], number] = await this.ds.query(
      `DELETE FROM pages WHERE visit_job_id = $1 AND fetched_at IS NULL AND status = 'pending'`,
      [jobId],
    );
    await this.ds.query(`UPDATE pages SET visit_state = 'done' WHERE visit_job_id = $1 AND visit_state <> 'done'`, [
      jobId,
    ]);
    return n;
  }

  /** End of a crawl: pages discovered but never fetched (over the limit) are dropped; the rest leave the frontier. */
  async closeFrontier(jobId: string): Promise<void> {
    await this.ds.query(
      `DELETE FROM pages WHERE visit_job_id = $1 AND visit_state = 'queued' AND fetched_at IS NULL AND status = 'pending'`,
      [jobId],
    );
    await this.ds.query(`UPDATE pages SET visit_state = 'done' WHERE visit_job_id = $1 AND visit_state <> 'done'`, [
      jobId,
    ]);
  }

  list(sourceId: string, limit: number, offset: number): Promise<PageEntity[]> {
    return this.ds
      .getRepository(PageEntity)
      .find({ where: { sourceId }, order: { discoveredAt: 'ASC', url: 'ASC' }, take: limit, skip: offset });
  }

  async countsBySource(sourceIds: string[]): Promise<Map<string, { pages: Record<string, number>; chunks: number }>> {
    const out = new Map<string, { pages: Record<string, number>; chunks: number }>();
    if (!sourceIds.length) return out;
    for (const id of sourceIds) out.set(id, { pages: {}, chunks: 0 });
    const pages: { source_id: string; status: string; n: string }[] = await this.ds.query(
      `SELECT source_id, status, count(*) AS n FROM pages WHERE source_id = ANY($1) GROUP BY 1, 2`,
      [sourceIds],
    );
    for (const r of pages) out.get(r.source_id)!.pages[r.status] = Number(r.n);
    const chunks: { source_id: string; n: string }[] = await this.ds.query(
      `SELECT source_id, count(*) AS n FROM chunks WHERE source_id = ANY($1) GROUP BY 1`,
      [sourceIds],
    );
    for (const r of chunks) out.get(r.source_id)!.chunks = Number(r.n);
    return out;
  }

  countForSource(sourceId: string): Promise<number> {
    return this.ds.getRepository(PageEntity).count({ where: { sourceId } });
  }
}
