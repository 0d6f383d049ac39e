import type { Identity } from '@kez/crypto';
import { type Profile, profileTemplate } from '@kez/nostr';
import { finalizeEvent } from 'nostr-tools/pure';

import type { RelayPool } from '../nostr/relay-pool';
import type { FacePublishResult } from './own-face';
import type { PictureFields } from './picture-profile';

/**
 * Publishes the user's kind 0 (NIP-01 metadata) signed with their NIP-06 key: the
 * base profile (name, nip05) plus the picture fields. Kind 0 is replaceable, so each
 * publish carries the whole profile.
 */
export class ProfilePublisher {
  /** `created_at` of the last kind 0 sent. */
  private lastCreatedAt = 0;

  constructor(
    private readonly pool: Pick<RelayPool, 'publish' | 'urls'>,
    private readonly identity: Identity,
    private readonly baseProfile: () => Profile,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** Sends the kind 0; never rejects: the result says how many relays took it, or why none did. */
  async publish(fields: PictureFields | undefined): Promise<FacePublishResult> {
    if (this.pool.urls.length === 0) {
      return { ok: false, message: 'No nostr relays are set up, so your picture is kept on this device only. Add one under Relays.' };
    }
    const profile: Profile = { ...this.baseProfile(), ...(fields ?? {}) };
    // Relays keep the kind 0 with the newest created_at, and of two in the same second
    // the one with the lower id (NIP-01): two changes within a second must still
    // leave the later one, so created_at always moves forward.
    this.lastCreatedAt = Math.max(this.now(), this.lastCreatedAt + 1);
    const event = finalizeEvent(profileTemplate(profile, this.lastCreatedAt), this.identity.nostrSecret);
    const report = await this.pool.publish(event);
    if (report.accepted.length === 0) {
      const reasons = report.refused.map(({ relay, reason }) => `${relay}: ${reason}`).join('; ');
      return { ok: false, message: `No relay took your profile (${reasons || 'no answer'}). It is sent again at the next change.` };
    }
    return { ok: true, message: `Profile published to ${report.accepted.length} of ${this.pool.urls.length} relay${this.pool.urls.length === 1 ? '' : 's'}.` };
  }
}
