import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { IndexedChunkRow } from '../index/chunk-index.repository';

export type VectorSupport = { available: true } | { available: false; reason: string };

export interface ChunkToEmbed {
  id: string;
  pageTitle: string;
  headingPath: string[];
  text: string;
}

export interface NeighbourRow extends IndexedChunkRow {
  ts_config: string;
  similarity: number;
}

/**
 * The table of chunk vectors, created here at run time when pgvector is installed but the
 * migration ran before it was (the migration creates it whenever it can). The same definition
 * as migrations/1795425000000-ChunkEmbeddings.ts. Vectors have no fixed length (any model fits),
 * so search is exact (no HNSW index, which needs one): a scan of the asked sources' vectors.
 */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS chunk_embeddings (
    chunk_id uuid PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    source_id uuid NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    model varchar(200) NOT NULL,
    embedding vector NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now())`;
const CREATE_INDEX = `CREATE INDEX IF NOT EXISTS "IDX_chunk_embeddings_source_model" ON chunk_embeddings (source_id, model)`;

/** How long a "no pgvector" answer is trusted before the database is asked again. */
const RECHECK_MS = 60_000;

/** pgvector's text form of a vector. */
const literal = (v: number[]) => `[${v.join(',')}]`;

/**
 * Chunk vectors (pgvector), in raw SQL and without a TypeORM entity: the table exists only on
 * databases with the extension, and an entity would make the schema differ between servers.
 */
@Injectable()
export class ChunkEmbeddingsRepository {
  private known: { support: VectorSupport; at: number } | null = null;

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Read-only: what this database offers (for health, whether or not embeddings are configured). */
  async probe(): Promise<{ table: boolean; installed: boolean; packaged: boolean }> {
    const [row] = await this.ds.query(
      `SELECT to_regclass('chunk_embeddings') IS NOT NULL AS "table",
              EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS packaged`,
    );
    return row;
  }

  /**
   * Whether vectors can be stored and searched; creates the table when pgvector is installed and
   * the table is missing. A yes is kept for the process's life; a no is asked again after a minute.
   */
  async support(): Promise<VectorSupport> {
    if (this.known && (this.known.support.available || Date.now() - this.known.at < RECHECK_MS))
      return this.known.support;
    const support = await this.check();
    this.known = { support, at: Date.now() };
    return support;
  }

  private async check(): Promise<VectorSupport> {
    const p = await this.probe();
    if (p.table) return { available: true };
    if (p.installed) {
      await this.ds.query(CREATE_TABLE);
      await this.ds.query(CREATE_INDEX);
      return { available: true };
    }
    if (p.packaged)
      return {
        available: false,
        reason:
          'pgvector is on the server but not installed in this database (run CREATE EXTENSION vector as a superuser)',
      };
    return {
      available: false,
      reason: "the PostgreSQL server has no pgvector extension (pg_available_extensions lists no 'vector')",
    };
  }

  /** Chunks of the source without a vector of this model, at most `limit`. */
  async missing(sourceId: string, model: string, limit: number): Promise<ChunkToEmbed[]> {
    return this.ds.query(
      `SELECT c.id, c.page_title AS "pageTitle", c.heading_path AS "headingPath", c.text
         FROM chunks c
        WHERE c.source_id = $1 AND NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.model = $2)
        ORDER BY c.page_id, c.position LIMIT $3`,
      [sourceId, model, limit],
    );
  }

  /** Stores vectors (replacing another model's); chunks deleted meanwhile (a re-indexed page) are skipped. */
  async store(sourceId: string, model: string, rows: { chunkId: string; embedding: number[] }[]): Promise<number> {
    if (!rows.length) return 0;
    const stored: unknown[] = await this.ds.query(
      `INSERT INTO chunk_embeddings (chunk_id, source_id, model, embedding)
         SELECT t.id, $1, $2, t.v::vector FROM unnest($3::uuid[], $4::text[]) AS t(id, v) JOIN chunks c ON c.id = t.id
       ON CONFLICT (chunk_id) DO UPDATE SET model = EXCLUDED.model, embedding = EXCLUDED.embedding, created_at = now()
       RETURNING chunk_id`,
      [sourceId, model, rows.map((r) => r.chunkId), rows.map((r) => literal(r.embedding))],
    );
    return stored.length;
  }

  /** The sources' chunks nearest to the vector by cosine distance, nearest first. */
  nearest(sourceIds: string[], model: string, vector: number[], limit: number): Promise<NeighbourRow[]> {
    return this.ds.query(
      `SELECT c.id, c.page_id, c.url, c.page_title, c.heading_path, c.text, c.ts_config, 1 - n.distance AS similarity
         FROM (SELECT chunk_id, embedding <=> $3::vector AS distance FROM chunk_embeddings
                WHERE source_id = ANY($1) AND model = $2 AND vector_dims(embedding) = $4
                ORDER BY distance LIMIT $5) n
         JOIN chunks c ON c.id = n.chunk_id
        ORDER BY n.distance`,
      [sourceIds, model, literal(vector), vector.length, limit],
    );
  }
}
