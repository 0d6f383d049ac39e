import { authString, hexToBytes, signAuth } from '@kez/crypto';

/** What a load process needs to act for a handle: its name and its seed (the ed25519 secret), hex. */
export interface HandleKey {
  handle: string;
  seed: string;
}

/** Freshness the server allows is ±60 s; a signature older than this is made again. */
const REUSE_MS = 30_000;

/**
 * `?auth=…[&since=…]` for a stream of `key`, signed as the contract's "open stream"
 * row. The signature is kept and reused for a while: opening thousands of streams
 * should cost the server its checks, not the load client a signature each.
 */
export class StreamAuth {
  private readonly secret: Uint8Array;
  private cached?: { since: string | undefined; at: number; value: string };

  constructor(readonly key: HandleKey) {
    this.secret = hexToBytes(key.seed);
  }

  path(since?: number): string {
    const sinceText = since === undefined ? undefined : String(since);
    if (!this.cached || this.cached.since !== sinceText || Date.now() - this.cached.at > REUSE_MS) {
      const value = signAuth((ts) => authString.openStream(this.key.handle, sinceText, ts), this.secret);
      this.cached = { since: sinceText, at: Date.now(), value };
    }
    const query = new URLSearchParams({ auth: this.cached.value });
    if (sinceText !== undefined) {
      query.set('since', sinceText);
    }
    return `/v1/inbox/${this.key.handle}/stream?${query.toString()}`;
  }
}
