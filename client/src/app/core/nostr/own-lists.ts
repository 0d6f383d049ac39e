import type { Profile } from '@kez/nostr';

import type { Store } from '../storage/store';
import type { ListsReport, NostrTransport } from './nostr-transport';

// What this user publishes about themselves on nostr, with their NIP-06 key: the
// NIP-65 relay list (10002) and the NIP-17 DM inbox list (10050), so any nostr app
// can find and write to them. The kind 0 profile has its own one publisher, the
// faces' ProfilePublisher (core/faces.ts), which builds it with `buildProfile`.

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
 * Publishes the two relay lists once, at the first unlock, and again only when the
 * relay list was edited. It counts as published when a relay took each event;
 * otherwise it is tried at the next start. The kind 0 is left to its one publisher
 * (core/faces.ts), so two publishers can never race one another's fields within a second.
 *
 * @returns the report, or null when nothing needed publishing (or there are no relays).
 */
export async function publishOwnLists(transport: Pick<NostrTransport, 'publishLists'>, store: Store, urls: readonly string[]): Promise<ListsReport | null> {
  if (urls.length === 0) {
    return null;
  }
  const fingerprint = JSON.stringify({ urls });
  if ((await store.get<string>('meta', KEY)) === fingerprint) {
    return null;
  }
  const report = await transport.publishLists({ relays: urls.map((url) => ({ url, read: true, write: true })), dmRelays: urls });
  if (report.relayList.accepted.length > 0 && report.dmRelayList.accepted.length > 0) {
    await store.write([{ bucket: 'meta', key: KEY, value: fingerprint }]);
  }
  return report;
}
