import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Optional semantic retrieval stores chunk vectors with pgvector. The extension is not on every
 * server (Debian's PostgreSQL 15 has no package for it; PGlite ships it), so this migration
 * creates the extension and the table only where they can exist and does nothing elsewhere:
 * retrieval then stays full-text and /health/detailed says why. The table has no TypeORM entity
 * (the schema would otherwise differ between servers); ChunkEmbeddingsRepository reads it in SQL
 * and creates it at run time if pgvector is installed later.
 */
export class ChunkEmbeddings1795425000000 implements MigrationInterface {
  name = 'ChunkEmbeddings1795425000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [{ installed, creatable }] = await queryRunner.query(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
              EXISTS (SELECT 1 FROM pg_available_extension_versions v
                       WHERE v.name = 'vector'
                         AND ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                              OR (v.trusted AND has_database_privilege(current_database(), 'CREATE')))) AS creatable`,
    );
    if (!installed && !creatable) return;
    if (!installed) await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS vector`);
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "chunk_embeddings" (
         "chunk_id" uuid PRIMARY KEY REFERENCES "chunks"("id") ON DELETE CASCADE,
         "source_id" uuid NOT NULL REFERENCES "sources"("id") ON DELETE CASCADE,
         "model" character varying(200) NOT NULL,
         "embedding" vector NOT NULL,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_chunk_embeddings_source_model" ON "chunk_embeddings" ("source_id", "model")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The extension stays: other tables of the database may use it.
    await queryRunner.query(`DROP TABLE IF EXISTS "chunk_embeddings"`);
  }
}
