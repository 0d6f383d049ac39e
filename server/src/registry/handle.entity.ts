import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigintTransformer } from '../database/bigint.transformer';

@Entity({ name: 'handles' })
export class HandleEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  handle!: string;

  /** The primary, `ed25519:<hex>`. */
  @Column({ name: 'identity_key', type: 'varchar', length: 72, unique: true })
  identityKey!: string;

  @Column({ type: 'varchar', length: 64 })
  addr!: string;

  /** The registration payload's signed `created_at`. */
  @Column({ name: 'created_at', type: 'bigint', transformer: bigintTransformer })
  createdAt!: number;

  /** When this server accepted the registration. */
  @Column({ name: 'registered_at', type: 'bigint', transformer: bigintTransformer })
  registeredAt!: number;
}
