import { MigrationInterface, QueryRunner } from 'typeorm';

/** The request id travels from the outbox event to each delivery (and its X-Request-Id header). */
export class WebhookRequestIds1795400000000 implements MigrationInterface {
  name = 'WebhookRequestIds1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_outbox" ADD "request_id" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD "request_id" character varying(128)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP COLUMN "request_id"`);
    await queryRunner.query(`ALTER TABLE "webhook_outbox" DROP COLUMN "request_id"`);
  }
}
