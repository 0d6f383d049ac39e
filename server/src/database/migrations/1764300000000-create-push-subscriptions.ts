import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Web Push subscriptions, several per handle (one per browser). An endpoint is
 * unique per handle, so a browser that subscribes again updates its row.
 */
export class CreatePushSubscriptions1764300000000 implements MigrationInterface {
  name = 'CreatePushSubscriptions1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'push_subscriptions',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
            primaryKeyConstraintName: 'PK_push_subscriptions_id',
          },
          { name: 'handle', type: 'varchar', length: '32', isNullable: false },
          { name: 'endpoint', type: 'varchar', length: '2048', isNullable: false },
          { name: 'p256dh', type: 'varchar', length: '128', isNullable: false },
          { name: 'auth', type: 'varchar', length: '64', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          // Last time the browser subscribed; the oldest is dropped past the per-handle limit.
          { name: 'updated_at', type: 'bigint', isNullable: false },
        ],
        uniques: [{ name: 'UQ_push_subscriptions_handle_endpoint', columnNames: ['handle', 'endpoint'] }],
        foreignKeys: [
          {
            name: 'FK_push_subscriptions_handle',
            columnNames: ['handle'],
            referencedTableName: 'handles',
            referencedColumnNames: ['handle'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('push_subscriptions');
  }
}
