// @kez/nostr: KEZ chat's nostr events (contract section 6) on nostr-tools: KEZ DMs and
// receipts with one-time outer keys, the replay rules, NIP-17 private DMs, and the
// relay lists and profile a client publishes. Framework-free; runs in Node and the
// browser. Import from here only.

export { NostrError, type NostrErrorCode } from './errors';
export { checkEventTime, EVENT_MAX_AGE_SECONDS, EVENT_MAX_FUTURE_SECONDS, type EventTime, NIP59_BACKDATE_SECONDS, subscriptionSince } from './event-window';
export { isEventShape, tagValues, verifyEventCopy } from './event-shape';
export { SEEN_IDS_MIN_CAPACITY, SeenIds } from './seen-ids';
export { buildKezEvent, type KezEventDrop, type KezEventKind, type KezEventVerdict, readKezEvent } from './kez-event';
export { type DirectMessage, directMessageId, DM_TEXT_MAX_BYTES, unwrapDirectMessage, wrapDirectMessage } from './nip17';
export { authenticate, type AuthRelay } from './nip42-auth';
export { isClassicNip44Payload, NIP44_MAX_PLAINTEXT_BYTES } from './nip44-limits';
export {
  dmRelayListTemplate,
  MAX_LIST_RELAYS,
  normalizeRelayUrl,
  type Profile,
  profileTemplate,
  readDmRelayList,
  readProfile,
  readRelayList,
  type RelayListEntry,
  relayListTemplate,
} from './relay-lists';
