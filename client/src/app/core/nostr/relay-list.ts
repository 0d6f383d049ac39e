import { MAX_LIST_RELAYS, normalizeRelayUrl } from '@kez/nostr';

import type { Store } from '../storage/store';

// Which relays this client uses. The home server proposes a list (GET /v1/relays:
// its own inbox relay first, then the relays its push listener watches); the person
// may replace it in Settings. The choice and the last list the server gave are kept
// in the Store, so the relays still work while the home server is down. The same
// list carries the chat and the profile (kind 0, pictures): there is one list.

const KEY = 'nostr.relays';

/**
 * What the Store keeps (bucket `meta`, key `nostr.relays`). Before the chat had
 * relays, the profile pictures kept a plain array of URLs under the same key: it
 * reads as the person's own list (see `readStored`).
 */
interface StoredRelayList {
  /** The person's own list; absent while the server's defaults are used. */
  custom?: string[];
  /** The last list the home server proposed. */
  defaults?: string[];
}

/** The relays in use and where they come from. */
export interface RelayChoice {
  readonly urls: readonly string[];
  /** `custom`: edited by the person; `server`: the home server's defaults (possibly the last ones known). */
  readonly source: 'custom' | 'server';
  /** The home server's defaults as last known (for "reset to defaults"). */
  readonly defaults: readonly string[];
}

/** The part of the home server this needs. */
export interface DefaultRelaySource {
  /** `GET /v1/relays`; rejects when the server cannot be reached. */
  defaultRelays(): Promise<string[]>;
}

/** The entries of a relay list typed by a person: one per line, or separated by commas or spaces. */
function relayEntries(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== '');
}

/** What a person most likely meant by an entry that is no relay URL: `wss://` added, or `https://`/`http://` turned into `wss://`/`ws://`. */
function likelyRelay(entry: string): string | undefined {
  const guess = /^https?:\/\//i.test(entry) ? entry.replace(/^http/i, 'ws') : /^[a-z][a-z0-9+.-]*:/i.test(entry) ? undefined : `wss://${entry}`;
  return guess === undefined ? undefined : normalizeRelayUrl(guess);
}

/**
 * Parses a relay list typed by a person: one URL per line or separated by commas
 * or spaces; `ws://`/`wss://` only, normalised, without repeats.
 *
 * @throws RangeError naming the entries that are not relay URLs (with the likely
 *   relay URL when there is one: `relay.example.org` → “wss://relay.example.org”),
 *   or when there are more than 20 (MAX_LIST_RELAYS).
 */
export function parseRelayInput(text: string): string[] {
  const items = relayEntries(text);
  const invalid = items.filter((item) => normalizeRelayUrl(item) === undefined);
  if (invalid.length > 0) {
    const guesses = invalid.map(likelyRelay).filter((guess): guess is string => guess !== undefined);
    // Quoted, without the bare "/" normalisation adds, so the question mark cannot be read as part of the address.
    const hint = guesses.length > 0 ? ` Did you mean ${guesses.map((guess) => `“${guess.replace(/\/$/, '')}”`).join(', ')}?` : '';
    throw new RangeError(`Not a relay address (ws:// or wss://): ${invalid.join(', ')}.${hint}`);
  }
  const urls = [...new Set(items.map((item) => normalizeRelayUrl(item) as string))];
  if (urls.length > MAX_LIST_RELAYS) {
    throw new RangeError(`At most ${MAX_LIST_RELAYS} relays.`);
  }
  return urls;
}

/** How many entries of `text` repeat an earlier one once normalised (`wss://A.test` and `wss://a.test/` are one relay); 0 when `text` does not parse. */
export function repeatedRelays(text: string): number {
  try {
    return relayEntries(text).length - parseRelayInput(text).length;
  } catch {
    return 0;
  }
}

/**
 * The sentence under the relay list in Settings: where the list comes from, what an
 * empty one means (no relays: nothing carries a message while the home server is
 * down), and after a save, that it was saved and which repeats were merged.
 */
export function relayChoiceText(choice: RelayChoice, saved?: { readonly repeats: number }): string {
  const source =
    choice.source === 'custom'
      ? choice.urls.length === 0
        ? 'Your own list is empty: messages travel through your home server only, and cannot be sent while it is down.'
        : 'Your own list.'
      : choice.urls.length === 0
        ? 'Your home server proposes no relays: messages travel through it only.'
        : 'The relays your home server proposes.';
  if (saved === undefined) {
    return source;
  }
  const repeats =
    saved.repeats === 0 ? '' : saved.repeats === 1 ? ' One address was listed twice and is kept once.' : ` ${saved.repeats} repeated addresses are kept once.`;
  return `Saved. ${source}${repeats}`;
}

/** The relay list of this client over the Store and the home server. */
export class RelayList {
  constructor(
    private readonly store: Store,
    private readonly server: DefaultRelaySource,
  ) {}

  /**
   * The relays to use now: the person's own list if they made one, else the home
   * server's defaults, asked afresh (and remembered), or the last ones known when
   * the server does not answer. Never rejects: with no list at all it is empty.
   */
  async current(): Promise<RelayChoice> {
    const stored = await this.readStored();
    let defaults = stored.defaults ?? [];
    try {
      const fresh = (await this.server.defaultRelays()).map((url) => normalizeRelayUrl(url)).filter((url): url is string => url !== undefined);
      defaults = [...new Set(fresh)].slice(0, MAX_LIST_RELAYS);
      await this.store.write([{ bucket: 'meta', key: KEY, value: { ...stored, defaults } }]);
    } catch {
      // The server is down: the last defaults it gave still work.
    }
    return stored.custom !== undefined ? { urls: stored.custom, source: 'custom', defaults } : { urls: defaults, source: 'server', defaults };
  }

  /** Keeps the person's own list (already parsed with `parseRelayInput`); null goes back to the server's defaults. */
  async setCustom(urls: readonly string[] | null): Promise<void> {
    const stored = await this.readStored();
    const { custom: _replaced, ...rest } = stored;
    await this.store.write([{ bucket: 'meta', key: KEY, value: urls === null ? rest : { ...rest, custom: [...urls] } }]);
  }

  /** The stored list; an array (the profile pictures' own list of old) is the person's own choice, an empty one none. */
  private async readStored(): Promise<StoredRelayList> {
    const raw = await this.store.get<StoredRelayList | string[]>('meta', KEY);
    if (Array.isArray(raw)) {
      const custom = raw.map((url) => normalizeRelayUrl(url)).filter((url): url is string => url !== undefined);
      return custom.length > 0 ? { custom: [...new Set(custom)].slice(0, MAX_LIST_RELAYS) } : {};
    }
    return raw ?? {};
  }
}
