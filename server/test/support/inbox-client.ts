import { authString, buildRegisterRequest, deriveIdentity, generateSeed, type Identity, signAuth } from '@kez/crypto';

import { http, type HttpResult } from './kez-http';

const now = () => Math.floor(Date.now() / 1000);

/** A registered user of the server under test, acting as a client would: with its own keys. */
export interface TestUser {
  handle: string;
  identity: Identity;
}

export async function registerUser(url: string, handle: string, server = 'chat.test'): Promise<TestUser> {
  const identity = deriveIdentity(generateSeed());
  const result = await http(`${url}/v1/register`, { method: 'POST', json: buildRegisterRequest(identity, handle, server, now()) });
  if (result.status !== 201) {
    throw new Error(`registering ${handle} failed: ${result.status} ${result.text}`);
  }
  return { handle, identity };
}

/** `X-KEZ-Auth` for polling, signed over `since` as it will be sent (undefined: absent). */
export function pollAuth(user: TestUser, since?: string, ts = now()): string {
  return signAuth((t) => authString.pollInbox(user.handle, since, t), user.identity.edSecret, ts);
}

/** The stream's `auth` value, signed with the `since` line only when `since` is sent. */
export function streamAuth(user: TestUser, since?: string, ts = now()): string {
  return signAuth((t) => authString.openStream(user.handle, since, t), user.identity.edSecret, ts);
}

export function postMessage(url: string, to: string, envelope: unknown): Promise<HttpResult> {
  return http(`${url}/v1/messages`, { method: 'POST', json: { to, envelope } });
}

/** Posts and insists on 201; returns the seq. */
export async function send(url: string, to: string, envelope: unknown): Promise<number> {
  const result = await postMessage(url, to, envelope);
  if (result.status !== 201) {
    throw new Error(`posting to ${to} failed: ${result.status} ${result.text}`);
  }
  return result.body.seq;
}

export interface PollOptions {
  since?: string;
  limit?: string;
  /** The header to send instead of a correct one (null: none). */
  auth?: string | null;
}

export function pollInbox(url: string, user: TestUser, options: PollOptions = {}): Promise<HttpResult> {
  const query = new URLSearchParams();
  if (options.since !== undefined) {
    query.set('since', options.since);
  }
  if (options.limit !== undefined) {
    query.set('limit', options.limit);
  }
  const auth = options.auth === undefined ? pollAuth(user, options.since) : options.auth;
  const qs = query.toString();
  return http(`${url}/v1/inbox/${user.handle}${qs ? `?${qs}` : ''}`, { headers: auth === null ? {} : { 'x-kez-auth': auth } });
}

/** Every message after `since`, following `next` page by page. */
export async function readAll(url: string, user: TestUser, since = 0): Promise<{ seq: number; envelope: any; created_at: number }[]> {
  const messages = [];
  let cursor = since;
  for (;;) {
    const page = await pollInbox(url, user, { since: String(cursor), limit: '500' });
    if (page.status !== 200) {
      throw new Error(`polling failed: ${page.status} ${page.text}`);
    }
    if (page.body.messages.length === 0) {
      return messages;
    }
    messages.push(...page.body.messages);
    cursor = page.body.next;
  }
}

/** The stream URL with `auth` (and `since` when given). */
export function streamUrl(url: string, handle: string, auth: string | undefined, since?: string): string {
  const query = new URLSearchParams();
  if (auth !== undefined) {
    query.set('auth', auth);
  }
  if (since !== undefined) {
    query.set('since', since);
  }
  return `${url}/v1/inbox/${handle}/stream?${query.toString()}`;
}
