import { decode, type DecodedResult } from 'nostr-tools/nip19';

import { normalizeRelayUrl } from '@kez/nostr';

// Who a user means when they start a chat with a nostr user of another app: an `npub`,
// an `nprofile` (NIP-19, optionally as a `nostr:` URI, NIP-21), a 64-hex pubkey, or a
// NIP-05 name (`bob@example.org`) looked up at `https://example.org/.well-known/nostr.json`.

/** A nostr user to chat with. */
export interface NostrPeer {
  /** 64 lowercase hex. */
  readonly pubkey: string;
  /** Relays the input named (nprofile, NIP-05 `relays`), normalised; may be empty. */
  readonly relays: readonly string[];
  /** The NIP-05 name it was found by, when it was. */
  readonly nip05?: string;
}

export type NostrPeerErrorCode =
  /** Neither an npub, an nprofile, a hex pubkey nor a NIP-05 name. */
  | 'unrecognised'
  /** An `nsec`: a secret key, which must never be pasted anywhere. */
  | 'secret_key'
  /** NIP-19 of another kind (note, nevent, naddr). */
  | 'not_a_profile'
  /** The NIP-05 server answered, but does not know the name. */
  | 'not_found'
  /** The NIP-05 server could not be reached or did not answer 200. */
  | 'unreachable'
  /** The NIP-05 answer is not the JSON NIP-05 describes. */
  | 'bad_answer';

/** Why an input names no nostr user; `message` is written for the person who typed it. */
export class NostrPeerError extends Error {
  override readonly name = 'NostrPeerError';

  constructor(
    readonly code: NostrPeerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
/** NIP-05: `<local-part>@<domain>`, local part `a-z0-9-_.`, case-insensitive; `_@domain` may be written `domain`. */
const NIP05 = /^(?:([a-z0-9._-]+)@)?((?:[a-z0-9-]+\.)+[a-z0-9-]+)$/i;

function relaysOf(urls: readonly unknown[] | undefined): string[] {
  const out = new Set<string>();
  for (const url of urls ?? []) {
    const normal = typeof url === 'string' ? normalizeRelayUrl(url) : undefined;
    if (normal !== undefined) {
      out.add(normal);
    }
  }
  return [...out];
}

function fromNip19(decoded: DecodedResult): NostrPeer {
  switch (decoded.type) {
    case 'npub':
      return { pubkey: decoded.data, relays: [] };
    case 'nprofile':
      return { pubkey: decoded.data.pubkey, relays: relaysOf(decoded.data.relays) };
    case 'nsec':
      throw new NostrPeerError('secret_key', 'That is a secret key (nsec). Never share it; ask for their npub instead.');
    case 'note':
    case 'nevent':
    case 'naddr':
      throw new NostrPeerError('not_a_profile', 'That points to a post, not to a person. Use their npub or NIP-05 name.');
  }
}

/**
 * Reads `input` when it names a user by itself (npub, nprofile, `nostr:` URI, hex);
 * undefined when it looks like a NIP-05 name, which needs `resolveNostrPeer`.
 *
 * @throws NostrPeerError `unrecognised`, `secret_key` or `not_a_profile`.
 */
export function parseNostrPeer(input: string): NostrPeer | undefined {
  const text = input.trim().replace(/^nostr:/i, '');
  if (HEX64.test(text.toLowerCase())) {
    return { pubkey: text.toLowerCase(), relays: [] };
  }
  if (/^(npub|nprofile|nsec|note|nevent|naddr)1/i.test(text)) {
    let decoded: DecodedResult;
    try {
      decoded = decode(text.toLowerCase());
    } catch {
      throw new NostrPeerError('unrecognised', 'That code is damaged (a character is wrong or missing). Copy it again.');
    }
    return fromNip19(decoded);
  }
  if (NIP05.test(text)) {
    return undefined;
  }
  throw new NostrPeerError('unrecognised', 'Enter an npub, an nprofile or a name like bob@example.org.');
}

/**
 * Resolves `input` to a nostr user, looking NIP-05 names up over HTTPS with
 * `fetchImpl` (redirects refused, as NIP-05 requires).
 *
 * @throws NostrPeerError for every way the input or the lookup can fail.
 */
export async function resolveNostrPeer(input: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<NostrPeer> {
  const direct = parseNostrPeer(input);
  if (direct) {
    return direct;
  }
  const [, local = '_', domain = ''] = NIP05.exec(input.trim()) ?? [];
  const name = local.toLowerCase();
  const host = domain.toLowerCase();
  let body: unknown;
  try {
    const response = await fetchImpl(`https://${host}/.well-known/nostr.json?name=${encodeURIComponent(name)}`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) {
      throw new Error(`HTTP ${response.status}`);
    }
    body = await response.json().catch(() => {
      throw new NostrPeerError('bad_answer', `${host} did not answer with NIP-05 JSON.`);
    });
  } catch (error) {
    if (error instanceof NostrPeerError) {
      throw error;
    }
    throw new NostrPeerError(
      'unreachable',
      `Could not ask ${host} who ${name === '_' ? host : `${name}@${host}`} is (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const names = (body as { names?: unknown } | null)?.names;
  if (typeof names !== 'object' || names === null) {
    throw new NostrPeerError('bad_answer', `${host} did not answer with NIP-05 JSON.`);
  }
  const pubkey = (names as Record<string, unknown>)[name];
  if (pubkey === undefined) {
    throw new NostrPeerError('not_found', `${host} knows no user called ${name}.`);
  }
  if (typeof pubkey !== 'string' || !HEX64.test(pubkey)) {
    throw new NostrPeerError('bad_answer', `${host} gave a key for ${name} that is not a nostr public key.`);
  }
  const relays = (body as { relays?: Record<string, unknown> }).relays?.[pubkey];
  const nip05 = name === '_' ? host : `${name}@${host}`;
  return { pubkey, relays: Array.isArray(relays) ? relaysOf(relays) : [], nip05 };
}
