import { DirectMessageRelaysList, Metadata, RelayList } from 'nostr-tools/kinds';
import type { EventTemplate, NostrEvent } from 'nostr-tools/pure';
import { normalizeURL } from 'nostr-tools/utils';

import { tagValues } from './event-shape';

// The lists a client publishes with its own key (contract section 6): NIP-65 kind
// 10002 (where it reads and writes), NIP-17 kind 10050 (where it takes DMs), and a
// minimal NIP-01 kind 0 profile.

/** Relays kept from one list; more is either a mistake or an attempt to make readers dial out widely. */
export const MAX_LIST_RELAYS = 20;

/** One NIP-65 entry: a relay read from, written to, or both. */
export interface RelayListEntry {
  url: string;
  read: boolean;
  write: boolean;
}

/**
 * Normalises a relay URL with nostr-tools' `normalizeURL`, or returns undefined for
 * anything but a `ws:` or `wss:` URL (`normalizeURL` itself would turn `https:` into
 * `wss:`, and a list naming a web page is not a relay list).
 */
export function normalizeRelayUrl(url: string): string | undefined {
  if (!/^wss?:\/\//i.test(url.trim())) {
    return undefined;
  }
  let normal: string;
  try {
    normal = normalizeURL(url);
  } catch {
    return undefined;
  }
  return /^wss?:\/\/[^/\s]+/.test(normal) ? normal : undefined;
}

function uniqueRelays(urls: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    const normal = normalizeRelayUrl(url);
    if (normal !== undefined && out.size < MAX_LIST_RELAYS) {
      out.add(normal);
    }
  }
  return [...out];
}

/** A kind 10002 template: `["r", url]` for both directions, else a `read`/`write` marker (NIP-65). */
export function relayListTemplate(entries: readonly RelayListEntry[], createdAt = Math.floor(Date.now() / 1000)): EventTemplate {
  const tags = entries
    .filter((entry) => (entry.read || entry.write) && normalizeRelayUrl(entry.url) !== undefined)
    .slice(0, MAX_LIST_RELAYS)
    .map((entry) => {
      const url = normalizeRelayUrl(entry.url) as string;
      return entry.read && entry.write ? ['r', url] : ['r', url, entry.read ? 'read' : 'write'];
    });
  return { kind: RelayList, created_at: createdAt, tags, content: '' };
}

/** Reads a kind 10002 event; unknown markers and bad URLs are skipped, duplicates merged. */
export function readRelayList(event: Pick<NostrEvent, 'kind' | 'tags'>): RelayListEntry[] {
  if (event.kind !== RelayList) {
    return [];
  }
  const byUrl = new Map<string, RelayListEntry>();
  for (const tag of event.tags) {
    const url = tag[0] === 'r' && typeof tag[1] === 'string' ? normalizeRelayUrl(tag[1]) : undefined;
    const marker = tag[2];
    if (url === undefined || (marker !== undefined && marker !== 'read' && marker !== 'write')) {
      continue;
    }
    const entry = byUrl.get(url) ?? { url, read: false, write: false };
    entry.read ||= marker !== 'write';
    entry.write ||= marker !== 'read';
    if (!byUrl.has(url) && byUrl.size >= MAX_LIST_RELAYS) {
      continue;
    }
    byUrl.set(url, entry);
  }
  return [...byUrl.values()];
}

/** A kind 10050 template: one `["relay", url]` tag per DM inbox relay (NIP-17). */
export function dmRelayListTemplate(urls: Iterable<string>, createdAt = Math.floor(Date.now() / 1000)): EventTemplate {
  return { kind: DirectMessageRelaysList, created_at: createdAt, tags: uniqueRelays(urls).map((url) => ['relay', url]), content: '' };
}

/** The relays of a kind 10050 event, normalised and deduplicated; [] for another kind. */
export function readDmRelayList(event: Pick<NostrEvent, 'kind' | 'tags'>): string[] {
  return event.kind === DirectMessageRelaysList ? uniqueRelays(tagValues(event, 'relay')) : [];
}

/** The profile fields KEZ chat publishes (NIP-01 kind 0, NIP-05 `nip05`, NIP-24 `display_name`). */
export interface Profile {
  name?: string;
  display_name?: string;
  nip05?: string;
  picture?: string;
  [field: string]: unknown;
}

/** A kind 0 template whose content is the JSON of `profile` (undefined fields left out). */
export function profileTemplate(profile: Profile, createdAt = Math.floor(Date.now() / 1000)): EventTemplate {
  const content = Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined));
  return { kind: Metadata, created_at: createdAt, tags: [], content: JSON.stringify(content) };
}

/** The profile in a kind 0 event, or undefined when its content is not a JSON object. */
export function readProfile(event: Pick<NostrEvent, 'kind' | 'content'>): Profile | undefined {
  if (event.kind !== Metadata) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(event.content);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Profile) : undefined;
  } catch {
    return undefined;
  }
}
