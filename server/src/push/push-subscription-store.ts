import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { uniqueViolationTarget } from '../database/unique-violation';
import { PushSubscriptionEntity } from './push-subscription.entity';

export interface PushKeys {
  p256dh: string;
  auth: string;
}

/** What a queued push remembers of its subscription, to tell later whether the row was replaced. */
export type SubscriptionSnapshot = Pick<PushSubscriptionEntity, 'id' | 'handle' | 'endpoint' | 'p256dh' | 'auth'>;

/** The push_subscriptions table. (handle, endpoint) is unique in the database, so concurrent subscribes converge on one row. */
@Injectable()
export class PushSubscriptionStore {
  constructor(@InjectRepository(PushSubscriptionEntity) private readonly rows: Repository<PushSubscriptionEntity>) {}

  /**
   * Stores the subscription, or refreshes its keys and time when the endpoint is
   * already there, then keeps only the `limit` most recently subscribed rows of the handle.
   */
  async save(handle: string, endpoint: string, keys: PushKeys, limit: number, now = Date.now()): Promise<'created' | 'updated'> {
    const result = await this.insertOrUpdate(handle, endpoint, keys, now);
    await this.trim(handle, limit);
    return result;
  }

  async exists(handle: string, endpoint: string): Promise<boolean> {
    return (await this.rows.countBy({ handle, endpoint })) > 0;
  }

  async remove(handle: string, endpoint: string): Promise<void> {
    await this.rows.delete({ handle, endpoint });
  }

  listForHandle(handle: string): Promise<PushSubscriptionEntity[]> {
    return this.rows.findBy({ handle });
  }

  /**
   * Deletes a subscription the push service called gone, unless the browser
   * subscribed again with new keys since the push was queued (then the row is a
   * new subscription that happens to share the endpoint).
   */
  async removeIfUnchanged(snapshot: SubscriptionSnapshot): Promise<boolean> {
    const result = await this.rows.delete({ id: snapshot.id, endpoint: snapshot.endpoint, p256dh: snapshot.p256dh, auth: snapshot.auth });
    return (result.affected ?? 0) > 0;
  }

  private async insertOrUpdate(handle: string, endpoint: string, keys: PushKeys, now: number): Promise<'created' | 'updated'> {
    // Update first: most subscribes are a browser re-announcing itself. When the
    // insert loses a race to a concurrent subscribe, the next update finds its row.
    for (let attempt = 0; ; attempt++) {
      const updated = await this.rows.update({ handle, endpoint }, { p256dh: keys.p256dh, auth: keys.auth, updatedAt: now });
      if ((updated.affected ?? 0) > 0) {
        return 'updated';
      }
      try {
        await this.rows.insert({ handle, endpoint, p256dh: keys.p256dh, auth: keys.auth, createdAt: now, updatedAt: now });
        return 'created';
      } catch (error) {
        if (uniqueViolationTarget(error) === undefined || attempt >= 2) {
          throw error;
        }
      }
    }
  }

  private async trim(handle: string, limit: number): Promise<void> {
    const keep = await this.rows.find({ select: { id: true }, where: { handle }, order: { updatedAt: 'DESC', id: 'DESC' }, take: limit });
    if (keep.length < limit) {
      return;
    }
    await this.rows
      .createQueryBuilder()
      .delete()
      .where('handle = :handle', { handle })
      .andWhere('id NOT IN (:...keep)', { keep: keep.map((row) => row.id) })
      .execute();
  }
}
