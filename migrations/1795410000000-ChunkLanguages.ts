import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A page can mix languages (a French book with untranslated English paragraphs, a quotation
 * marked lang="en"): each chunk records its own language, its tsvector follows it, and the page
 * lists the configurations its chunks use so retrieval knows which ones to search without
 * scanning chunks. Until now every chunk had its page's configuration.
 */
export class ChunkLanguages1795410000000 implements MigrationInterface {
  name = 'ChunkLanguages1795410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chunks" ADD "lang" character varying(35)`);
    await queryRunner.query(`ALTER TABLE "pages" ADD "chunk_configs" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `UPDATE "chunks" c SET "lang" = p."lang" FROM "pages" p WHERE p."id" = c."page_id" AND p."lang" IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE "pages" SET "chunk_configs" = ARRAY["ts_config"]::text[] WHERE "status" IN ('indexed', 'unchanged')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pages" DROP COLUMN "chunk_configs"`);
    await queryRunner.query(`ALTER TABLE "chunks" DROP COLUMN "lang"`);
  }
}
