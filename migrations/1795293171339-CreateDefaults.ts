import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDefaults1795293171339 implements MigrationInterface {
  name = 'CreateDefaults1795293171339';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "default_values" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "key" character varying(255) NOT NULL, "context" character varying(4096) NOT NULL DEFAULT '', "value" jsonb NOT NULL, "confidence" double precision NOT NULL DEFAULT '1', "usage_count" bigint NOT NULL DEFAULT '0', "success_count" bigint NOT NULL DEFAULT '0', "failure_count" bigint NOT NULL DEFAULT '0', "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "UQ_default_values_key_context" UNIQUE ("key", "context"), CONSTRAINT "CHK_default_values_confidence" CHECK (confidence >= 0 AND confidence <= 1), CONSTRAINT "PK_41a0e35c174c8612f51c4aa58f8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_default_values_confidence" ON "default_values"  ("confidence") `);
    await queryRunner.query(`CREATE INDEX "IDX_default_values_context" ON "default_values"  ("context") `);
    await queryRunner.query(`CREATE INDEX "IDX_default_values_key" ON "default_values"  ("key") `);
    await queryRunner.query(
      `CREATE TABLE "defaults_models" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "version" integer NOT NULL, "weights" jsonb NOT NULL, "metrics" jsonb NOT NULL, "trained_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_8a54f87d1a0b4235cf04f489f82" UNIQUE ("version"), CONSTRAINT "PK_7f2288486285741ce938c0ac37f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "default_feedback" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "key" character varying(255) NOT NULL, "context" character varying(4096) NOT NULL DEFAULT '', "value" jsonb NOT NULL, "accepted" boolean NOT NULL, "f_usage" double precision NOT NULL, "f_success" double precision NOT NULL, "f_similarity" double precision NOT NULL, "f_recency" double precision NOT NULL, "default_value_id" uuid, "actor_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc0e7659d261e71f9ff7712e64d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_default_feedback_actor_id" ON "default_feedback"  ("actor_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_default_feedback_key" ON "default_feedback"  ("key") `);
    await queryRunner.query(`CREATE INDEX "IDX_default_feedback_created_at" ON "default_feedback"  ("created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_default_feedback_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_default_feedback_key"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_default_feedback_actor_id"`);
    await queryRunner.query(`DROP TABLE "default_feedback"`);
    await queryRunner.query(`DROP TABLE "defaults_models"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_default_values_key"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_default_values_context"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_default_values_confidence"`);
    await queryRunner.query(`DROP TABLE "default_values"`);
  }
}
