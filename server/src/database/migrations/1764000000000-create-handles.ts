import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The handle directory. Uniqueness lives in the database, so concurrent registrations on any instance give one winner. */
export class CreateHandles1764000000000 implements MigrationInterface {
  name = 'CreateHandles1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'handles',
        columns: [
          { name: 'handle', type: 'varchar', length: '32', isPrimary: true, primaryKeyConstraintName: 'PK_handles_handle' },
          { name: 'identity_key', type: 'varchar', length: '72', isNullable: false },
          { name: 'addr', type: 'varchar', length: '64', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'registered_at', type: 'bigint', isNullable: false },
        ],
        uniques: [{ name: 'UQ_handles_identity_key', columnNames: ['identity_key'] }],
        indices: [{ name: 'IDX_handles_addr', columnNames: ['addr'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('handles');
  }
}
