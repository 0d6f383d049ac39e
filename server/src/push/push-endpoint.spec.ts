import type { lookup as dnsLookup, LookupAddress } from 'node:dns';

import { assertEndpointForm, assertResolvesPublicly, parseEndpoint, publicOnlyLookup, UnsafeEndpoint } from './push-endpoint';

/** A resolver that answers from a table, like /etc/hosts. */
function fakeLookup(table: Record<string, string[]>): typeof dnsLookup {
  return ((host: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
    const addresses = table[host];
    setImmediate(() =>
      addresses
        ? callback(
            null,
            addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
          )
        : callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []),
    );
  }) as unknown as typeof dnsLookup;
}

const dns = fakeLookup({
  'fcm.googleapis.com': ['142.250.74.106', '2a00:1450:4001:82b::200a'],
  localhost: ['127.0.0.1', '::1'],
  'split.example': ['8.8.8.8', '10.0.0.7'],
  'rebind.example': ['192.168.0.10'],
});

describe(parseEndpoint.name, () => {
  it('accepts an https URL and returns it parsed', () => {
    expect(parseEndpoint('https://fcm.googleapis.com/fcm/send/abc:def', false).hostname).toBe('fcm.googleapis.com');
    expect(parseEndpoint('https://8.8.8.8:8443/x', false).port).toBe('8443');
  });

  it.each([
    ['http://example.com/x', /https:/],
    ['ftp://example.com/x', /https:/],
    ['not a url', /not a URL|spaces/],
    ['notaurl', /not a URL/],
    ['https://user:pw@example.com/x', /credentials/],
    ['https://127.0.0.1/x', /non-public/],
    ['https://10.0.0.1/x', /non-public/],
    ['https://[::1]/x', /non-public/],
    ['https://[fd00::1]/x', /non-public/],
    ['https://169.254.169.254/latest/meta-data', /non-public/],
    ['https://0x7f000001/x', /non-public/],
    [`https://example.com/${'a'.repeat(2100)}`, /2048/],
    ['https://example.com/a\nb', /spaces/],
  ])('refuses %j', (endpoint, message) => {
    expect(() => parseEndpoint(endpoint, false)).toThrow(UnsafeEndpoint);
    expect(() => parseEndpoint(endpoint, false)).toThrow(message);
  });

  it('lets tests use http and loopback when insecure endpoints are allowed', () => {
    expect(parseEndpoint('http://127.0.0.1:9999/push/x', true).protocol).toBe('http:');
    expect(() => parseEndpoint('ftp://127.0.0.1/x', true)).toThrow(UnsafeEndpoint);
  });
});

describe(assertEndpointForm.name, () => {
  it('refuses text no stored subscription can hold: NUL and other control characters, spaces, over 2,048 characters', () => {
    for (const endpoint of [
      'https://push.example/a\u0000b',
      'https://push.example/\u007f',
      'https://push.example/a b',
      `https://push.example/${'a'.repeat(2048)}`,
    ]) {
      expect(() => assertEndpointForm(endpoint)).toThrow(UnsafeEndpoint);
    }
    expect(() => assertEndpointForm('https://push.example/abc')).not.toThrow();
  });
});

describe(assertResolvesPublicly.name, () => {
  it('passes a host whose every address is public', async () => {
    await expect(assertResolvesPublicly(new URL('https://fcm.googleapis.com/x'), dns)).resolves.toBeUndefined();
  });

  it('refuses a name that resolves to loopback, or to any private address among public ones', async () => {
    await expect(assertResolvesPublicly(new URL('https://localhost/x'), dns)).rejects.toThrow(/non-public/);
    await expect(assertResolvesPublicly(new URL('https://split.example/x'), dns)).rejects.toThrow(/non-public/);
  });

  it('refuses a name that does not resolve', async () => {
    await expect(assertResolvesPublicly(new URL('https://nowhere.invalid/x'), dns)).rejects.toThrow(/does not resolve/);
  });
});

describe(publicOnlyLookup.name, () => {
  const lookup = publicOnlyLookup(dns);
  const resolve = (host: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((done) =>
      lookup(host, { all }, (error, address, family) => done({ error, address, family })),
    );

  it('answers like dns.lookup for public hosts, single or all', async () => {
    expect(await resolve('fcm.googleapis.com', false)).toEqual({ error: null, address: '142.250.74.106', family: 4 });
    expect((await resolve('fcm.googleapis.com', true)).address).toHaveLength(2);
  });

  it('fails the connection when the name now resolves to a private address (DNS rebinding)', async () => {
    const { error } = await resolve('rebind.example', false);
    expect(error).toBeInstanceOf(UnsafeEndpoint);
  });

  it('passes resolver errors through', async () => {
    expect((await resolve('nowhere.invalid', false)).error?.message).toMatch(/ENOTFOUND/);
  });
});
