import type { Event, Filter, IncomingMessage } from '@nostr-relay/common';

/** Longest subscription id a client may choose (NIP-01 asks clients for at most 64 characters). */
export const MAX_SUBSCRIPTION_ID = 64;
/** Filters in one `REQ`. */
export const MAX_FILTERS = 10;
/** Values in one filter list (`ids`, `authors`, `kinds`, a tag). */
export const MAX_FILTER_VALUES = 500;
/** Tags on one event. */
export const MAX_TAGS = 2_000;

/** A frame that is not a well-formed NIP-01 message: `message` is what the client is told (`NOTICE`, or `OK false`/`CLOSED` when it names an event or subscription). */
export class MalformedMessage extends Error {
  constructor(
    message: string,
    readonly eventId?: string,
    readonly subscriptionId?: string,
  ) {
    super(message);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const isStringList = (value: unknown, max: number) => Array.isArray(value) && value.length <= max && value.every((v) => typeof v === 'string');
const isTimestamp = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Parses one WebSocket text frame into a NIP-01 client message, checking every
 * field's type so the relay engine only ever sees well-formed events and
 * filters (@nostr-relay/core leaves that to its caller). Throws MalformedMessage.
 */
export function parseClientMessage(text: string): IncomingMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new MalformedMessage('invalid: not JSON');
  }
  if (!Array.isArray(message) || typeof message[0] !== 'string') {
    throw new MalformedMessage('invalid: a message is a JSON array starting with its type');
  }
  switch (message[0]) {
    case 'EVENT':
    case 'AUTH':
      if (message.length !== 2) {
        throw new MalformedMessage(`invalid: ${message[0]} takes exactly one event`);
      }
      return [message[0], checkEvent(message[1])];
    case 'REQ': {
      const id = checkSubscriptionId(message[1]);
      const filters = message.slice(2);
      if (filters.length === 0 || filters.length > MAX_FILTERS) {
        throw new MalformedMessage(`invalid: a REQ has 1 to ${MAX_FILTERS} filters`, undefined, id);
      }
      return ['REQ', id, ...filters.map((f) => checkFilter(f, id))];
    }
    case 'CLOSE':
      if (message.length !== 2) {
        throw new MalformedMessage('invalid: CLOSE takes a subscription id');
      }
      return ['CLOSE', checkSubscriptionId(message[1])];
    default:
      throw new MalformedMessage(`invalid: unknown message type ${JSON.stringify(String(message[0]).slice(0, 16))}`);
  }
}

function checkSubscriptionId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SUBSCRIPTION_ID) {
    throw new MalformedMessage(`invalid: a subscription id is a string of 1 to ${MAX_SUBSCRIPTION_ID} characters`);
  }
  return value;
}

/** The event's fields and their types (id and signature are verified later, by the engine). */
export function checkEvent(value: unknown): Event {
  const e = value as Record<string, unknown> | null;
  const id = typeof e?.id === 'string' && HEX64.test(e.id) ? e.id : undefined;
  if (
    typeof e !== 'object' ||
    e === null ||
    Array.isArray(e) ||
    id === undefined ||
    typeof e.pubkey !== 'string' ||
    !HEX64.test(e.pubkey) ||
    typeof e.sig !== 'string' ||
    !HEX128.test(e.sig) ||
    !isTimestamp(e.created_at) ||
    !Number.isSafeInteger(e.kind) ||
    (e.kind as number) < 0 ||
    (e.kind as number) > 65535 ||
    typeof e.content !== 'string' ||
    !Array.isArray(e.tags) ||
    e.tags.length > MAX_TAGS ||
    !e.tags.every((tag) => Array.isArray(tag) && tag.length > 0 && tag.every((v) => typeof v === 'string'))
  ) {
    throw new MalformedMessage('invalid: an event needs id, pubkey, created_at, kind, tags, content and sig of the NIP-01 types', id);
  }
  const { pubkey, created_at, kind, tags, content, sig } = e as unknown as Event;
  // A fresh object with only the NIP-01 fields: nothing else a client sent is stored or served.
  return { id, pubkey, created_at, kind, tags, content, sig };
}

function checkFilter(value: unknown, subscriptionId: string): Filter {
  const fail = (why: string) => new MalformedMessage(`invalid: ${why}`, undefined, subscriptionId);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('a filter is a JSON object');
  }
  for (const [key, v] of Object.entries(value)) {
    const ok =
      key === 'ids' || key === 'authors'
        ? isStringList(v, MAX_FILTER_VALUES) && (v as string[]).every((s) => HEX64.test(s))
        : key === 'kinds'
          ? Array.isArray(v) && v.length <= MAX_FILTER_VALUES && v.every((k) => Number.isSafeInteger(k) && k >= 0)
          : key === 'since' || key === 'until' || key === 'limit'
            ? isTimestamp(v)
            : /^#[a-zA-Z]$/.test(key)
              ? isStringList(v, MAX_FILTER_VALUES)
              : false;
    if (!ok) {
      throw fail(`filter field ${JSON.stringify(key.slice(0, 16))} is unsupported or has the wrong type`);
    }
  }
  return value;
}
