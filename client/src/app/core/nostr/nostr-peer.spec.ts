import { naddrEncode, noteEncode, nprofileEncode, npubEncode, nsecEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { NostrPeerError, parseNostrPeer, resolveNostrPeer } from './nostr-peer';

const pubkey = getPublicKey(generateSecretKey());

/** A fetch answering as a NIP-05 server would, recording the URLs asked for. */
function nip05Server(answer: (url: URL) => { status: number; body: string }): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    asked.push(`${url.toString()} redirect=${init?.redirect}`);
    const { status, body } = answer(url);
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fake, asked };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NostrPeerError ? error.code : `not a NostrPeerError: ${String(error)}`;
  }
  return undefined;
}

describe(parseNostrPeer.name, () => {
  it('reads npub, nprofile with relays, nostr: URIs and hex', () => {
    expect(parseNostrPeer(npubEncode(pubkey))).toEqual({ pubkey, relays: [] });
    expect(parseNostrPeer(` nostr:${npubEncode(pubkey)} `)).toEqual({ pubkey, relays: [] });
    expect(parseNostrPeer(nprofileEncode({ pubkey, relays: ['wss://Inbox.example', 'https://web.example', 'wss://inbox.example/'] }))).toEqual({
      pubkey,
      relays: ['wss://inbox.example/'],
    });
    expect(parseNostrPeer(pubkey.toUpperCase())).toEqual({ pubkey, relays: [] });
  });

  it('leaves NIP-05 names to the lookup', () => {
    expect(parseNostrPeer('bob@example.org')).toBeUndefined();
    expect(parseNostrPeer('example.org')).toBeUndefined();
  });

  it('refuses secret keys, posts, damaged codes and anything else, with a reason', () => {
    expect(codeOf(() => parseNostrPeer(nsecEncode(generateSecretKey())))).toBe('secret_key');
    expect(codeOf(() => parseNostrPeer(noteEncode(pubkey)))).toBe('not_a_profile');
    expect(codeOf(() => parseNostrPeer(naddrEncode({ identifier: 'x', pubkey, kind: 30023 })))).toBe('not_a_profile');
    const npub = npubEncode(pubkey);
    expect(codeOf(() => parseNostrPeer(`${npub.slice(0, -1)}${npub.endsWith('q') ? 'p' : 'q'}`))).toBe('unrecognised');
    expect(codeOf(() => parseNostrPeer('just some words'))).toBe('unrecognised');
  });
});

describe(resolveNostrPeer.name, () => {
  it('looks a NIP-05 name up on its domain, without following redirects, with the relays it lists', async () => {
    const server = nip05Server(() => ({ status: 200, body: JSON.stringify({ names: { bob: pubkey }, relays: { [pubkey]: ['wss://relay.example'] } }) }));
    expect(await resolveNostrPeer('Bob@Example.org', server.fetch)).toEqual({ pubkey, relays: ['wss://relay.example/'], nip05: 'bob@example.org' });
    expect(server.asked).toEqual(['https://example.org/.well-known/nostr.json?name=bob redirect=manual']);
  });

  it('takes a bare domain as its _ user', async () => {
    const server = nip05Server(() => ({ status: 200, body: JSON.stringify({ names: { _: pubkey } }) }));
    expect(await resolveNostrPeer('example.org', server.fetch)).toEqual({ pubkey, relays: [], nip05: 'example.org' });
  });

  it('says which step failed', async () => {
    const cases: [string, { status: number; body: string }][] = [
      ['not_found', { status: 200, body: JSON.stringify({ names: { alice: pubkey } }) }],
      ['unreachable', { status: 301, body: '' }],
      ['unreachable', { status: 404, body: 'no' }],
      ['bad_answer', { status: 200, body: '<html>' }],
      ['bad_answer', { status: 200, body: JSON.stringify({ names: { bob: 'npub1…' } }) }],
      ['bad_answer', { status: 200, body: JSON.stringify({ nothing: true }) }],
    ];
    for (const [code, answer] of cases) {
      await expect(resolveNostrPeer('bob@example.org', nip05Server(() => answer).fetch)).rejects.toMatchObject({ code });
    }
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(resolveNostrPeer('bob@example.org', offline)).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('fetch failed') });
  });
});
