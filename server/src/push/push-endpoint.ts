import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

import { settleWithin } from '../common/time/settle-within';
import { isPublicAddress } from './public-address';

/** Longest endpoint accepted; real ones are a few hundred characters. */
export const MAX_ENDPOINT_LENGTH = 2048;

/** How long the subscribe check waits for DNS before calling a host unresolvable. */
const RESOLVE_TIMEOUT_MS = 5_000;

/** Why an endpoint is refused, in words a client developer can act on. */
export class UnsafeEndpoint extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeEndpoint';
  }
}

/**
 * The form every endpoint the server stores has: at most MAX_ENDPOINT_LENGTH
 * characters, no spaces or control characters. Unsubscribe and check test it too,
 * so that text no subscription can hold (a NUL, which PostgreSQL cannot store in
 * text) is a 400 rather than a database error.
 */
export function assertEndpointForm(endpoint: string): void {
  if (endpoint.length > MAX_ENDPOINT_LENGTH || /[\s\x00-\x1f\x7f]/.test(endpoint)) {
    throw new UnsafeEndpoint(`endpoint must be a URL of at most ${MAX_ENDPOINT_LENGTH} characters without spaces.`);
  }
}

/**
 * Checks the form of a push endpoint: an `https:` URL (or `http:` when insecure
 * endpoints are allowed) without credentials, and, when its host is an IP
 * literal, a public one. Returns the parsed URL that requests must use.
 */
export function parseEndpoint(endpoint: string, allowInsecure: boolean): URL {
  assertEndpointForm(endpoint);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UnsafeEndpoint('endpoint is not a URL.');
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) {
    throw new UnsafeEndpoint('endpoint must be an https: URL.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new UnsafeEndpoint('endpoint must not carry credentials.');
  }
  const host = hostOf(url);
  if (!allowInsecure && isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new UnsafeEndpoint('endpoint must not point at a loopback, private, link-local or other non-public address.');
  }
  return url;
}

/** The URL's host as sockets want it: IPv6 literals without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * At subscribe time: the endpoint's host must resolve, and to public addresses
 * only (every address, since a client may connect to any of them).
 */
export async function assertResolvesPublicly(url: URL, lookup: typeof dnsLookup = dnsLookup): Promise<void> {
  const host = hostOf(url);
  if (isIP(host) !== 0) {
    return;
  }
  const addresses = await settleWithin(resolveAll(host, lookup), RESOLVE_TIMEOUT_MS, undefined);
  if (addresses === undefined) {
    throw new UnsafeEndpoint(`endpoint host ${host} does not resolve.`);
  }
  if (addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address))) {
    throw new UnsafeEndpoint(`endpoint host ${host} resolves to a loopback, private, link-local or other non-public address.`);
  }
}

function resolveAll(host: string, lookup: typeof dnsLookup): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) {
        reject(error);
      } else {
        resolve(addresses);
      }
    });
  });
}

/**
 * A `lookup` for the sockets that deliver pushes: it resolves like the system
 * does and fails when any address is not public. Because it runs for the very
 * connection that is about to be made, a name that resolved to a public address
 * at subscribe time and to an internal one now (DNS rebinding) is refused.
 */
export function publicOnlyLookup(lookup: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address))) {
        const refused = new UnsafeEndpoint(`push endpoint host resolves to a non-public address`);
        callback(refused, '', 0);
        return;
      }
      if (options.all) {
        (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    });
  };
}
