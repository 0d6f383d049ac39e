import { type HandleRecord, INBOX_MAX_LIMIT, type InboxPage, type PostMessageResponse } from '@kez/protocol';

import type { RegisterRequest } from '@kez/crypto';

import { type HttpOutcome, type ServerReport, toServerReport } from '../health';
import { ApiError, errorFromResponse } from './api-error';
import type { HomeServer, PostOptions } from './home-server';
import type { PushServer, PushSubscriptionRecord } from '../push/push-server';
import { parseDefaultRelays, parseHandleRecord, parseInboxPage, parsePostMessageResponse, parseSubscribed, parseVapidKey } from './records';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

interface CallOptions {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

/** How long a call may take before it counts as no answer. */
const TIMEOUT_MS = 15_000;

/**
 * The home server's HTTP API (contract section 4) on `fetch`, with every answer
 * checked: a call resolves with parsed data or rejects with an ApiError.
 */
export class HomeApi implements HomeServer, PushServer {
  constructor(
    private readonly fetchFn: FetchLike,
    /** Origin of the server; '' for the one that served the app. */
    private readonly base = '',
  ) {}

  /** `GET /v1/u/:handle`: the record, or null when nobody has that handle. */
  lookup(handle: string): Promise<HandleRecord | null> {
    return this.orNull(this.call(`/v1/u/${encodeURIComponent(handle)}`, {}, parseHandleRecord));
  }

  /** `GET /v1/by-primary/:primary`: the record, or null when the key has no handle here. */
  byPrimary(primary: string): Promise<HandleRecord | null> {
    return this.orNull(this.call(`/v1/by-primary/${encodeURIComponent(primary)}`, {}, parseHandleRecord));
  }

  register(request: RegisterRequest): Promise<HandleRecord> {
    return this.call('/v1/register', { method: 'POST', body: JSON.stringify(request) }, parseHandleRecord);
  }

  postMessage(to: string, envelope: object, options: PostOptions = {}): Promise<PostMessageResponse> {
    const body = options.push === false ? { to, envelope, push: false } : { to, envelope };
    return this.call('/v1/messages', { method: 'POST', body: JSON.stringify(body) }, parsePostMessageResponse);
  }

  /**
   * `GET /v1/inbox/:handle?since=&limit=` signed with `auth` (the poll-inbox row for the
   * same `since`; `limit` is not signed).
   */
  inbox(handle: string, since: number, auth: string, limit: number = INBOX_MAX_LIMIT): Promise<InboxPage> {
    const url = `/v1/inbox/${encodeURIComponent(handle)}?since=${since}&limit=${limit}`;
    return this.call(url, { headers: { 'X-KEZ-Auth': auth } }, parseInboxPage);
  }

  /** `GET /v1/relays`: the relays this server proposes to its clients, its own `/relay` first (docs/protocol.md §4). */
  defaultRelays(): Promise<string[]> {
    return this.call('/v1/relays', {}, parseDefaultRelays);
  }

  /** `GET /v1/push/vapid-public-key`: the key (base64url, uncompressed P-256) for `PushManager.subscribe`. */
  vapidPublicKey(): Promise<string> {
    return this.call('/v1/push/vapid-public-key', {}, parseVapidKey);
  }

  /** `POST /v1/push/subscribe/:handle` with the browser subscription's JSON and the push-subscribe `auth`. */
  pushSubscribe(handle: string, subscription: PushSubscriptionRecord, auth: string): Promise<void> {
    const path = `/v1/push/subscribe/${encodeURIComponent(handle)}`;
    return this.call(path, { method: 'POST', body: JSON.stringify(subscription), headers: { 'X-KEZ-Auth': auth } }, () => undefined);
  }

  /** `POST /v1/push/unsubscribe/:handle` with the push-unsubscribe `auth`. */
  pushUnsubscribe(handle: string, endpoint: string, auth: string): Promise<void> {
    const path = `/v1/push/unsubscribe/${encodeURIComponent(handle)}`;
    return this.call(path, { method: 'POST', body: JSON.stringify({ endpoint }), headers: { 'X-KEZ-Auth': auth } }, () => undefined);
  }

  /** `GET /v1/push/subscriptions/:handle?endpoint=` with the push-check `auth`: does the server still have it? */
  pushSubscribed(handle: string, endpoint: string, auth: string): Promise<boolean> {
    const path = `/v1/push/subscriptions/${encodeURIComponent(handle)}?endpoint=${encodeURIComponent(endpoint)}`;
    return this.call(path, { headers: { 'X-KEZ-Auth': auth } }, parseSubscribed);
  }

  /**
   * `GET /v1/healthz` and `GET /v1/readyz` read together as one report. Never rejects:
   * no answer, an error status or a body that is not a KEZ health response is
   * reported as `unreachable`.
   */
  async health(): Promise<ServerReport> {
    const [healthz, readyz] = await Promise.all([this.outcome('/v1/healthz'), this.outcome('/v1/readyz')]);
    return toServerReport(healthz, readyz);
  }

  /** The URL of the inbox stream; EventSource cannot send headers, so the auth rides in the query. */
  streamUrl(handle: string, since: number, auth: string): string {
    return `${this.base}/v1/inbox/${encodeURIComponent(handle)}/stream?auth=${encodeURIComponent(auth)}&since=${since}`;
  }

  private async orNull<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') {
        return null;
      }
      throw error;
    }
  }

  /** One GET that always resolves with its status and body; status 0 when nothing answered. */
  private async outcome(path: string): Promise<HttpOutcome> {
    try {
      const response = await this.fetchFn(`${this.base}${path}`, {
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    } catch {
      return { status: 0, body: null };
    }
  }

  private async call<T>(path: string, request: CallOptions, parse: (body: unknown) => T | null): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchFn(`${this.base}${path}`, {
        method: request.method ?? 'GET',
        body: request.body,
        headers,
        cache: 'no-store',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new ApiError('network', 0, 'No answer from the server.');
    }
    if (await isWorkerOfflineAnswer(response)) {
      // The app's service worker could not reach the server either.
      throw new ApiError('network', 0, 'No answer from the server.');
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      throw errorFromResponse(response.status, body, response.headers.get('Retry-After'));
    }
    const parsed = parse(body);
    if (parsed === null) {
      throw new ApiError('unexpected', response.status, 'The server answered something unexpected.');
    }
    return parsed;
  }
}

/**
 * Angular's service worker answers a request it could not send with its own empty
 * `504 Gateway Timeout` (ngsw `safeFetch`): that is no answer from the server, not a
 * proxy's error page (which has a body and is read as `unexpected`).
 */
async function isWorkerOfflineAnswer(response: Response): Promise<boolean> {
  return (
    response.status === 504 &&
    response.headers.get('Content-Type') === null &&
    (await response
      .clone()
      .text()
      .catch(() => '')) === ''
  );
}
