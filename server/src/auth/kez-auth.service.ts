import { Injectable } from '@nestjs/common';

import { type AuthRow, checkAuth, isFresh, nowSeconds, parseAuth } from '@kez/crypto';
import { AUTH_SKEW_SECONDS, checkHandle } from '@kez/protocol';

import { ApiError } from '../common/errors/api-error';
import { HandleStore } from '../registry/handle-store';

/** Who a request acts for, once its `X-KEZ-Auth` verified. */
export interface AuthorizedHandle {
  /** Canonical (trimmed, lower-case) handle. */
  handle: string;
  primary: string;
}

/** Builds a row of the contract's auth table for the canonical handle, e.g. `(h) => (ts) => authString.pollInbox(h, since, ts)`. */
export type AuthRowFor = (handle: string) => AuthRow;

/**
 * The `X-KEZ-Auth` check of every request that acts for a handle (inbox, stream,
 * push). In order, each failure answering at once:
 * 1. the handle breaks the rules → 400 `invalid_handle`; a reserved name → 404;
 * 2. missing or malformed value → 401 `unauthorized`;
 * 3. `|now − ts| > 60 s` → 401 `stale_timestamp`;
 * 4. no such handle → 404 `not_found`;
 * 5. the signature by the handle's primary over the row's string → else 401 `bad_signature`.
 * Steps 2–3 need no database, so unauthenticated noise never reaches it.
 */
@Injectable()
export class KezAuth {
  constructor(private readonly handles: HandleStore) {}

  async authorize(rawHandle: string, value: string | undefined, row: AuthRowFor, now: number = nowSeconds()): Promise<AuthorizedHandle> {
    const check = checkHandle(rawHandle);
    if (!check.ok) {
      throw check.code === 'reserved_handle' ? new ApiError('not_found', 'No such handle on this server.') : new ApiError('invalid_handle');
    }
    const parsed = parseAuth(value);
    if (!parsed) {
      throw new ApiError('unauthorized', 'Authentication must be <ts>:<128 lowercase hex signature>.');
    }
    if (!isFresh(parsed.ts, now, AUTH_SKEW_SECONDS)) {
      throw new ApiError('stale_timestamp', `The timestamp must be within ${AUTH_SKEW_SECONDS} seconds of the server clock.`);
    }
    const record = await this.handles.findByHandle(check.handle);
    if (!record) {
      throw new ApiError('not_found', 'No such handle on this server.');
    }
    const verdict = checkAuth(value, row(check.handle), record.identityKey, now, AUTH_SKEW_SECONDS);
    if (verdict !== 'ok') {
      throw new ApiError(verdict);
    }
    return { handle: check.handle, primary: record.identityKey };
  }
}
