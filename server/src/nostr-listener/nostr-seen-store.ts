import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';

import { uniqueViolationTarget } from '../database/unique-violation';
import { NostrSeenEntity } from './nostr-seen.entity';

/** The cluster-wide memory of DMs already pushed: the primary key makes exactly one instance win each id. */
@Injectable()
export class NostrSeenStore {
  constructor(@InjectRepository(NostrSeenEntity) private readonly rows: Repository<NostrSeenEntity>) {}

  /** True when this call stored the id first (and so owns the push); false when any instance already had. */
  async claim(eventId: string, createdAt: number, now: number): Promise<boolean> {
    try {
      await this.rows.insert({ eventId, createdAt, seenAt: now });
      return true;
    } catch (error) {
      if (uniqueViolationTarget(error) !== undefined) {
        return false;
      }
      throw error;
    }
  }

  /** Forgets ids of events created before `before` (unix s); returns how many. */
  async pruneCreatedBefore(before: number): Promise<number> {
    const result = await this.rows.delete({ createdAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
