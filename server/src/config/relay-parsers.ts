import { InvalidValue, type Parser } from './parsers';

/**
 * The server's public base URL as browsers and nostr clients reach it, e.g.
 * `https://chat.example.org` (behind a TLS proxy) or `http://127.0.0.1:6969`.
 * Only an origin: `http:` or `https:`, no path, query, fragment or credentials.
 * Empty means "not configured": the relay then takes its URL from each
 * connection's `Host` header (see docs/protocol.md §8). Returned without a
 * trailing slash.
 */
export const parsePublicUrl: Parser<string> = (raw) => {
  const value = raw.trim();
  if (value === '') {
    return value;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidValue('expected an http:// or https:// origin such as https://chat.example.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidValue('expected an http:// or https:// origin such as https://chat.example.org');
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new InvalidValue('expected an origin only (scheme, host and optional port), without path, query or credentials');
  }
  return url.origin;
};
