import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIngestion1795293165853 implements MigrationInterface {
  name = 'CreateIngestion1795293165853';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sources" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "user_id" uuid NOT NULL, "url" text NOT NULL, "domain" character varying(253) NOT NULL, "include_subdomains" boolean NOT NULL DEFAULT false, "max_pages" integer NOT NULL, "max_depth" integer, "include_paths" text array NOT NULL DEFAULT '{}', "exclude_paths" text array NOT NULL DEFAULT '{}', "respect_robots" boolean NOT NULL DEFAULT true, "use_sitemap" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL DEFAULT 'queued', "last_job_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85523beafe5a2a6b90b02096443" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_sources_user_id" ON "sources"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "pages" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "source_id" uuid NOT NULL, "url" text NOT NULL, "depth" integer NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "visit_job_id" uuid, "visit_state" character varying(16) NOT NULL DEFAULT 'queued', "http_status" integer, "skip_reason" character varying(32), "error" text, "title" text, "lang" character varying(35), "ts_config" character varying(32) NOT NULL DEFAULT 'simple', "content_hash" character(64), "etag" text, "last_modified" text, "text" text, "fetched_at" TIMESTAMP WITH TIME ZONE, "discovered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8f21ed625aa34c8391d636b7d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_pages_source_hash" ON "pages"  ("source_id", "content_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_pages_frontier" ON "pages"  ("visit_job_id", "visit_state") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_pages_source_url" ON "pages"  ("source_id", "url") `);
    await queryRunner.query(
      `CREATE TABLE "chunks" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "source_id" uuid NOT NULL, "page_id" uuid NOT NULL, "position" integer NOT NULL, "url" text NOT NULL, "page_title" text NOT NULL DEFAULT '', "heading_path" text array NOT NULL DEFAULT '{}', "text" text NOT NULL, "start_offset" integer NOT NULL, "end_offset" integer NOT NULL, "ts_config" character varying(32) NOT NULL, "tsv" tsvector NOT NULL, CONSTRAINT "PK_a306e60b8fdf6e7de1be4be1e6a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_chunks_source_id" ON "chunks"  ("source_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_chunks_page_position" ON "chunks"  ("page_id", "position") `);
    await queryRunner.query(
      `CREATE TABLE "ingestion_jobs" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "source_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'queued', "max_pages" integer NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "discovered" integer NOT NULL DEFAULT '0', "fetched" integer NOT NULL DEFAULT '0', "indexed" integer NOT NULL DEFAULT '0', "unchanged" integer NOT NULL DEFAULT '0', "skipped_robots" integer NOT NULL DEFAULT '0', "skipped_duplicate" integer NOT NULL DEFAULT '0', "skipped_type" integer NOT NULL DEFAULT '0', "skipped_size" integer NOT NULL DEFAULT '0', "skipped_depth" integer NOT NULL DEFAULT '0', "skipped_error" integer NOT NULL DEFAULT '0', "last_error" text, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78a3cba789582043cfc8ba82edd" PRIMARY KEY ("id"))`,
    );
    // GIN over the weighted tsvector; declared synchronize:false on the entity (TypeORM cannot express GIN).
    await queryRunner.query(`CREATE INDEX "IDX_chunks_tsv" ON "chunks" USING GIN ("tsv")`);
    await queryRunner.query(`CREATE INDEX "IDX_ingestion_jobs_status" ON "ingestion_jobs"  ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_ingestion_jobs_source_id" ON "ingestion_jobs"  ("source_id") `);
    await queryRunner.query(
      `ALTER TABLE "sources" ADD CONSTRAINT "FK_97cf391d9083f24459ecc5dfc9f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pages" ADD CONSTRAINT "FK_9bc12ccabfbd81f6b54dfd2f0f3" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chunks" ADD CONSTRAINT "FK_265ad0ab190bbd5d8a355c24047" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "chunks" ADD CONSTRAINT "FK_cec3ef283c6069372b5a64aae05" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ingestion_jobs" ADD CONSTRAINT "FK_91e4ff4a288d7bafa73686eddbe" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ingestion_jobs" DROP CONSTRAINT "FK_91e4ff4a288d7bafa73686eddbe"`);
    await queryRunner.query(`ALTER TABLE "chunks" DROP CONSTRAINT "FK_cec3ef283c6069372b5a64aae05"`);
    await queryRunner.query(`ALTER TABLE "chunks" DROP CONSTRAINT "FK_265ad0ab190bbd5d8a355c24047"`);
    await queryRunner.query(`ALTER TABLE "pages" DROP CONSTRAINT "FK_9bc12ccabfbd81f6b54dfd2f0f3"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP CONSTRAINT "FK_97cf391d9083f24459ecc5dfc9f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ingestion_jobs_source_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ingestion_jobs_status"`);
    await queryRunner.query(`DROP TABLE "ingestion_jobs"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chunks_tsv"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_chunks_page_position"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_chunks_source_id"`);
    await queryRunner.query(`DROP TABLE "chunks"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_pages_source_url"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_pages_frontier"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_pages_source_hash"`);
    await queryRunner.query(`DROP TABLE "pages"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_sources_user_id"`);
    await queryRunner.query(`DROP TABLE "sources"`);
  }
}
