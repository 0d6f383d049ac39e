/**
 * Which nostr relays a user's DMs should go to, for NIP-05 `relays`. The
 * Registry only knows the interface; the Relay module provides it (its own
 * `/relay` first, then the user's kind 10050 list). Without a provider,
 * nostr.json lists no relays.
 */
export abstract class RelayDirectory {
  /**
   * The relay URLs for `addr`, this server's first. `request` is what the
   * URL of this server is derived from when no public URL is configured.
   */
  abstract relaysFor(addr: string, request: { host?: string; peer?: string; forwardedProto?: string }): Promise<string[]>;
}
