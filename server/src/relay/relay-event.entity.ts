import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigintTransformer } from '../database/bigint.transformer';

/** One event held by the inbox relay (migration 1764500000000). */
@Entity({ name: 'relay_events' })
export class RelayEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  pubkey!: string;

  @Column({ type: 'integer' })
  kind!: number;

  /** The event's own `created_at` (unix s). */
  @Column({ name: 'created_at', type: 'bigint', transformer: bigintTransformer })
  createdAt!: number;

  /** The addr a private event is for; null for public kinds. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  recipient!: string | null;

  /** NIP-40 `expiration` (unix s), or null. */
  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: bigintTransformer })
  expiresAt!: number | null;

  /** When this server accepted it (unix s); retention counts from here. */
  @Column({ name: 'received_at', type: 'bigint', transformer: bigintTransformer })
  receivedAt!: number;

  /** The event as compact JSON text. */
  @Column({ type: 'text' })
  raw!: string;
}
