import { GiftWrap, Seal } from 'nostr-tools/kinds';

// The contract's replay rules for events read from relays (section 6): an event whose
// `created_at` is more than 48 h old or more than 5 minutes ahead is dropped.

/** Oldest `created_at` accepted, and the default look-back of a new subscription. */
export const EVENT_MAX_AGE_SECONDS = 48 * 3600;
/** Furthest a `created_at` may be ahead of the reader's clock. */
export const EVENT_MAX_FUTURE_SECONDS = 5 * 60;
/**
 * NIP-59 tells the authors of seals and gift wraps to date them up to two days in the
 * past, so a gift wrap made a second ago may look 47 h old. Their window is widened by
 * this much; their rumor's own `created_at` is the real time.
 */
export const NIP59_BACKDATE_SECONDS = 2 * 24 * 3600;

export type EventTime = 'ok' | 'stale' | 'future';

/**
 * Places `createdAt` (unix seconds) against `now` (unix seconds) for an event of
 * `kind`: `stale` when older than the window, `future` when too far ahead.
 */
export function checkEventTime(createdAt: number, now: number, kind: number): EventTime {
  const maxAge = kind === GiftWrap || kind === Seal ? EVENT_MAX_AGE_SECONDS + NIP59_BACKDATE_SECONDS : EVENT_MAX_AGE_SECONDS;
  if (createdAt < now - maxAge) {
    return 'stale';
  }
  if (createdAt > now + EVENT_MAX_FUTURE_SECONDS) {
    return 'future';
  }
  return 'ok';
}

/**
 * The `since` of a subscription: the newest `created_at` seen minus `margin` seconds
 * (relays index late arrivals by their own clock skew), never further back than the
 * 48 h look-back, nor further back than a gift wrap's back-dating when `giftWraps`.
 */
export function subscriptionSince(newestSeen: number | undefined, now: number, margin = 10 * 60, giftWraps = false): number {
  const lookBack = now - EVENT_MAX_AGE_SECONDS - (giftWraps ? NIP59_BACKDATE_SECONDS : 0);
  if (newestSeen === undefined) {
    return lookBack;
  }
  const resume = newestSeen - margin - (giftWraps ? NIP59_BACKDATE_SECONDS : 0);
  return Math.max(lookBack, resume);
}
