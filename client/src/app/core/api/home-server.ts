import type { HandleRecord, InboxPage, PostMessageResponse } from '@kez/protocol';

import type { RegisterRequest } from '@kez/crypto';

import type { ServerReport } from '../health';

export interface PostOptions {
  /** false: stored and streamed, but no Web Push (copies to self). Omitted: the usual push. */
  readonly push?: boolean;
}

/**
 * What the app asks of its home server (contract section 4). HomeApi is the HTTP
 * implementation; unit tests use an in-memory one (testing/fake-home-server.ts).
 * Every method rejects with an ApiError when the call fails.
 */
export interface HomeServer {
  /** `GET /v1/u/:handle`: null when nobody has the handle. */
  lookup(handle: string): Promise<HandleRecord | null>;
  /** `GET /v1/by-primary/:primary`: null when the key has no handle here. */
  byPrimary(primary: string): Promise<HandleRecord | null>;
  register(request: RegisterRequest): Promise<HandleRecord>;
  /** `POST /v1/messages`; `push: false` asks the server to wake no device (contract §4). */
  postMessage(to: string, envelope: object, options?: PostOptions): Promise<PostMessageResponse>;
  /** `GET /v1/inbox/:handle?since=` with `X-KEZ-Auth: auth`. */
  inbox(handle: string, since: number, auth: string): Promise<InboxPage>;
  /** `GET /v1/healthz` with `GET /v1/readyz`, as one report; never rejects. */
  health(): Promise<ServerReport>;
  /** `GET /v1/relays`: the relays the server proposes, its own `/relay` first (docs/protocol.md §4). */
  defaultRelays(): Promise<string[]>;
  /** Where the inbox stream resuming after `since` is opened. */
  streamUrl(handle: string, since: number, auth: string): string;
}
