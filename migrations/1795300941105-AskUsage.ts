import { MigrationInterface, QueryRunner } from 'typeorm';

export class AskUsage1795300941105 implements MigrationInterface {
  name = 'AskUsage1795300941105';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ask_usage" ("user_id" uuid NOT NULL, "day" date NOT NULL, "questions" integer NOT NULL DEFAULT '0', "tokens" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_af999e75fc245dad7a92a47600f" PRIMARY KEY ("user_id", "day"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "ask_usage" ADD CONSTRAINT "FK_2310ad6d70ff7f284a4e4a889f3" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ask_usage" DROP CONSTRAINT "FK_2310ad6d70ff7f284a4e4a889f3"`);
    await queryRunner.query(`DROP TABLE "ask_usage"`);
  }
}
