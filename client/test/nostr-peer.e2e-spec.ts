import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { resolveNostrPeer } from '../src/app/core/nostr/nostr-peer';

// NIP-05 lookups over real HTTP. Public HTTPS servers do not exist here, so a loopback
// server plays example.org, and the fetch handed to resolveNostrPeer sends the
// https://example.org/ request there (path, query and options untouched).

describe('resolveNostrPeer over HTTP', () => {
  const pubkey = getPublicKey(generateSecretKey());
  let server: Server;
  let origin: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname === '/.well-known/nostr.json' && url.searchParams.get('name') === 'bob') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ names: { bob: pubkey }, relays: { [pubkey]: ['wss://inbox.example'] } }));
      } else if (url.searchParams.get('name') === 'moved') {
        response.writeHead(302, { location: 'https://elsewhere.example/.well-known/nostr.json?name=bob' }).end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ names: {} }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const toLoopback = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('example.org');
    return fetch(`${origin}${url.pathname}${url.search}`, init);
  }) as typeof fetch;

  it('finds a user and their relays', async () => {
    expect(await resolveNostrPeer('bob@example.org', toLoopback)).toEqual({ pubkey, relays: ['wss://inbox.example/'], nip05: 'bob@example.org' });
    expect(requests).toContain('GET /.well-known/nostr.json?name=bob');
  });

  it('does not follow a redirect, and says a name is unknown', async () => {
    await expect(resolveNostrPeer('moved@example.org', toLoopback)).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('HTTP 302'),
    });
    await expect(resolveNostrPeer('nobody@example.org', toLoopback)).rejects.toMatchObject({ code: 'not_found' });
  });
});
