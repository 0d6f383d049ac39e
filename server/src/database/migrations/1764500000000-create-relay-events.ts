import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Events held by the inbox relay (`/relay`). `id` is the nostr event id, so a
 * duplicate insert fails on every store and exactly one instance of a cluster
 * accepts each event. `recipient` is the addr a private event is for (`p` of a
 * gift wrap, `q` of a KEZ DM or receipt), null for public kinds; `expires_at`
 * is the NIP-40 expiration; `received_at` drives retention. `raw` is the event
 * as JSON text, served back unchanged.
 */
export class CreateRelayEvents1764500000000 implements MigrationInterface {
  name = 'CreateRelayEvents1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'relay_events',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'PK_relay_events_id' },
          { name: 'pubkey', type: 'varchar', length: '64', isNullable: false },
          { name: 'kind', type: 'integer', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'recipient', type: 'varchar', length: '64', isNullable: true },
          { name: 'expires_at', type: 'bigint', isNullable: true },
          { name: 'received_at', type: 'bigint', isNullable: false },
          { name: 'raw', type: 'text', isNullable: false },
        ],
        indices: [
          { name: 'IDX_relay_events_recipient_created', columnNames: ['recipient', 'created_at'] },
          { name: 'IDX_relay_events_pubkey_kind', columnNames: ['pubkey', 'kind'] },
          { name: 'IDX_relay_events_received_at', columnNames: ['received_at'] },
          { name: 'IDX_relay_events_expires_at', columnNames: ['expires_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('relay_events');
  }
}
