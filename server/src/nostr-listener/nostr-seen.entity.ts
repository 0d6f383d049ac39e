import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigintTransformer } from '../database/bigint.transformer';

@Entity({ name: 'nostr_seen' })
export class NostrSeenEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  /** The event's `created_at` (unix s). */
  @Column({ name: 'created_at', type: 'bigint', transformer: bigintTransformer })
  createdAt!: number;

  /** When the winning instance claimed it (unix s). */
  @Column({ name: 'seen_at', type: 'bigint', transformer: bigintTransformer })
  seenAt!: number;
}
