import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { bigintTransformer } from '../database/bigint.transformer';

@Entity({ name: 'push_subscriptions' })
export class PushSubscriptionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  handle!: string;

  /** The push service URL exactly as the browser gave it; it is also what the client signs. */
  @Column({ type: 'varchar', length: 2048 })
  endpoint!: string;

  /** The browser's P-256 key (base64url). Empty pushes never use it; kept so the row is a whole PushSubscription. */
  @Column({ type: 'varchar', length: 128 })
  p256dh!: string;

  @Column({ type: 'varchar', length: 64 })
  auth!: string;

  /** When the browser first subscribed (unix ms). */
  @Column({ name: 'created_at', type: 'bigint', transformer: bigintTransformer })
  createdAt!: number;

  /** Last time the browser subscribed (unix ms); the least recent goes first past the per-handle limit. */
  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintTransformer })
  updatedAt!: number;
}
