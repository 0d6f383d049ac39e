import type { Profile } from '@kez/nostr';

import type { Store } from '../storage/store';
import type { ListsReport, NostrTransport } from './nostr-transport';

// What this user publishes about themselves on nostr, with their NIP-06 key: the
// NIP-65 relay list (10002), the NIP-17 DM inbox list (10050), and a minimal profile
// (kind 0), so any nostr app can find and write to them.

const KEY = 'nostr.published';

/** Who the profile describes. */
export interface ProfileOwner {
  readonly handle: string;
  readonly server: string;
}

/**
 * The kind 0 content this client publishes: `name` = the handle and `nip05` =
 * `handle@server` (the home server answers NIP-05 for it). `extra` adds fields
 * (e.g. a `picture`) without changing the rest; it cannot drop `name` or `nip05`.
 */
export function buildProfile(owner: ProfileOwner, extra: Readonly<Profile> = {}): Profile {
  return { ...extra, name: owner.handle, nip05: `${owner.handle}@${owner.server}` };
}

/**
 * Publishes the relay lists (and the profile, when given) once, at the first unlock,
 * and again only when what would be published changed (the relay list was edited,
 * the profile got a field). It counts as published when a relay took each event;
 * otherwise it is tried at the next start. The web client leaves `profile` out: its
 * kind 0 has one publisher, the faces' ProfilePublisher (core/faces.ts), so two
 * publishers can never race one another's fields within a second.
 *
 * @returns the report, or null when nothing needed publishing (or there are no relays).
 */
export async function publishOwnLists(
  transport: Pick<NostrTransport, 'publishLists'>,
  store: Store,
  urls: readonly string[],
  profile?: Profile,
): Promise<ListsReport | null> {
  if (urls.length === 0) {
    return null;
  }
  const fingerprint = JSON.stringify({ urls, profile });
  if ((await store.get<string>('meta', KEY)) === fingerprint) {
    return null;
  }
  const report = await transport.publishLists({ relays: urls.map((url) => ({ url, read: true, write: true })), dmRelays: urls, ...(profile ? { profile } : {}) });
  if (report.relayList.accepted.length > 0 && report.dmRelayList.accepted.length > 0 && (profile === undefined || (report.profile?.accepted.length ?? 0) > 0)) {
    await store.write([{ bucket: 'meta', key: KEY, value: fingerprint }]);
  }
  return report;
}
