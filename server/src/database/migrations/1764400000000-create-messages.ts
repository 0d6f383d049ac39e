import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inboxes. `seq` is global and never reused — SQLite needs AUTOINCREMENT for that
 * (a plain rowid restarts below a deleted maximum), PostgreSQL a BIGSERIAL — so a
 * client's `since` cursor stays valid after retention deletes rows. `size` is the
 * envelope's byte length, read to bound a page without loading the envelopes.
 */
export class CreateMessages1764400000000 implements MigrationInterface {
  name = 'CreateMessages1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const seq = queryRunner.connection.options.type === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL';
    await queryRunner.query(
      `CREATE TABLE "messages" ("seq" ${seq}, "recipient" varchar(32) NOT NULL, "created_at" bigint NOT NULL, ` +
        `"size" integer NOT NULL, "envelope" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_messages_recipient_seq" ON "messages" ("recipient", "seq")`);
    // The retention sweep finds old rows by age without scanning the table.
    await queryRunner.query(`CREATE INDEX "IDX_messages_created_at" ON "messages" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "messages"`);
  }
}
