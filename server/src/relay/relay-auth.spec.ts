import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';

import { checkAuthEvent, normalizeRelayUrl, relayUrlsFor } from './relay-auth';

const now = 1_764_000_000;
const auth = (relay: string, challenge = 'c1', createdAt = now, kind = 22242) =>
  finalizeEvent(
    {
      kind,
      created_at: createdAt,
      tags: [
        ['relay', relay],
        ['challenge', challenge],
      ],
      content: '',
    },
    generateSecretKey(),
  );

describe('relayUrlsFor', () => {
  it('uses the configured public origin exactly, https as wss', () => {
    expect(relayUrlsFor('https://chat.example.org', 'evil.example')).toEqual(['wss://chat.example.org/relay']);
    expect(relayUrlsFor('http://127.0.0.1:6969', undefined)).toEqual(['ws://127.0.0.1:6969/relay']);
  });

  it('falls back to the Host header with either scheme, and to nothing without one', () => {
    expect(relayUrlsFor('', 'Chat.Example.org:443')).toEqual(['wss://chat.example.org/relay', 'ws://chat.example.org:443/relay']);
    expect(relayUrlsFor('', undefined)).toEqual([]);
    expect(relayUrlsFor('', 'bad host/x')).toEqual([]);
  });
});

describe('normalizeRelayUrl', () => {
  it('lower-cases the host, drops default ports and trailing slashes, and refuses other schemes', () => {
    expect(normalizeRelayUrl('wss://Chat.Example.org:443/relay/')).toBe('wss://chat.example.org/relay');
    expect(normalizeRelayUrl('https://chat.example.org/relay')).toBeUndefined();
    expect(normalizeRelayUrl('not a url')).toBeUndefined();
  });
});

describe('checkAuthEvent', () => {
  const urls = ['wss://chat.example.org/relay'];

  it('accepts the right kind, challenge, relay and window', () => {
    expect(checkAuthEvent(auth('wss://chat.example.org/relay/'), 'c1', urls, now)).toBeUndefined();
    expect(checkAuthEvent(auth('wss://chat.example.org/relay', 'c1', now - 600), 'c1', urls, now)).toBeUndefined();
  });

  it('refuses each wrong part with an invalid: message', () => {
    expect(checkAuthEvent(auth('wss://chat.example.org/relay', 'c1', now, 1), 'c1', urls, now)).toMatch(/^invalid: .*22242/);
    expect(checkAuthEvent(auth('wss://chat.example.org/relay', 'c2'), 'c1', urls, now)).toMatch(/^invalid: the challenge/);
    expect(checkAuthEvent(auth('wss://other.example/relay'), 'c1', urls, now)).toMatch(/^invalid: the relay tag/);
    expect(checkAuthEvent(auth('ws://chat.example.org/relay'), 'c1', urls, now)).toMatch(/^invalid: the relay tag/);
    expect(checkAuthEvent(auth('wss://chat.example.org/relay', 'c1', now - 601), 'c1', urls, now)).toMatch(/^invalid: created_at/);
    expect(checkAuthEvent({ ...auth('wss://chat.example.org/relay'), content: 'x' }, 'c1', urls, now)).toMatch(/^invalid: bad id/);
  });
});
