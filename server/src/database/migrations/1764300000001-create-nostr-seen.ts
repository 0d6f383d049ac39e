import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Nostr event ids that caused a push. Every instance listens to the relays; the
 * one whose insert wins sends the push, so a DM wakes its recipient once per cluster.
 */
export class CreateNostrSeen1764300000001 implements MigrationInterface {
  name = 'CreateNostrSeen1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'nostr_seen',
        columns: [
          { name: 'event_id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'PK_nostr_seen_event_id' },
          // The event's own created_at: rows older than the acceptance window can never match again and are pruned.
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'seen_at', type: 'bigint', isNullable: false },
        ],
        indices: [{ name: 'IDX_nostr_seen_created_at', columnNames: ['created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('nostr_seen');
  }
}
