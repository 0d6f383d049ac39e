import type { ChatMessage, Conversation } from '../chat/model';
import type { OutboxRequest } from '../chat/outbox-share';
import type { Arrival } from '../nostr/transport';

/**
 * What the tabs of one browser tell each other over `BroadcastChannel('kez-chat')`:
 * - `stream-event`: the leader's inbox stream delivered this SSE `data`;
 * - `stream-status`: the leader's stream opened or failed;
 * - `stream-hello`: a follower attached and wants the leader's status;
 * - `relay-arrival`: the leader's relays brought this (already opened and stored by
 *   the leader), so the other tabs show it live too;
 * - `outbox-request`: a following tab asks the leader's outbox to take a message it
 *   queued (and stored), to retry one, or to try now;
 * - `outbox-settled`: the leader's outbox moved this outgoing message on (sending,
 *   sent, failed…), with its conversation; the others show it (the leader stores it);
 * - `thread-read`: this tab shows the thread with `peer` (opened, or a message came in
 *   while it is on screen): the others count it as read too;
 * - `face-changed`: this tab stored a change of the user's own picture or who sees
 *   it; the others read it again (core/faces/own-face.ts);
 * - `lock`: this tab locked; every tab locks;
 * - `unlock`: this tab is unlocked, with the identity's seed, for tabs still locked;
 * - `unlock-ask`: a tab started locked and asks an unlocked one for the seed;
 * - `forget`: this tab erased the identity; every tab starts over.
 */
export type TabMessage =
  | { readonly kind: 'stream-event'; readonly data: string }
  | { readonly kind: 'stream-status'; readonly status: 'open' | 'error' }
  | { readonly kind: 'stream-hello' }
  | { readonly kind: 'relay-arrival'; readonly arrival: Arrival }
  | { readonly kind: 'outbox-request'; readonly request: OutboxRequest }
  | { readonly kind: 'outbox-settled'; readonly message: ChatMessage; readonly conversation: Conversation }
  | { readonly kind: 'thread-read'; readonly peer: string }
  | { readonly kind: 'face-changed' }
  | { readonly kind: 'lock' }
  | { readonly kind: 'unlock'; readonly seed: Uint8Array }
  | { readonly kind: 'unlock-ask' }
  | { readonly kind: 'forget' };

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: TabMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<TabMessage>) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent<TabMessage>) => void): void;
  close(): void;
}

export const CHANNEL_NAME = 'kez-chat';

/** The browser's channel, or null where BroadcastChannel does not exist (each tab then runs alone). */
export function openTabChannel(): ChannelLike | null {
  return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
}
