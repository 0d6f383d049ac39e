import { ApiError } from '../errors/api-error';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Headers the server reads as text (lower-case name → as written in messages); each must be UTF-8 on the wire. */
export const TEXT_HEADERS: ReadonlyMap<string, string> = new Map([
  ['x-kez-auth', 'X-KEZ-Auth'],
  ['last-event-id', 'Last-Event-ID'],
]);

/** Longest query parameter name quoted back in an error message. */
const MAX_QUOTED_NAME = 40;

/**
 * Percent-decodes one path segment or query component strictly: a malformed escape
 * or escapes that do not spell UTF-8 (overlong forms, surrogates, `%FF`) throw
 * ApiError('bad_request') instead of passing through or becoming U+FFFD.
 */
export function decodeStrict(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw new ApiError('bad_request', 'The URL is not valid percent-encoded UTF-8.');
  }
}

/**
 * Checks a request target (`/path?query` as received): every path segment and every
 * query name and value must percent-decode to UTF-8. With `singleValued` (the API's
 * paths) a query parameter given twice is refused too: `?resource=a&resource=b` has
 * no one meaning, and joining or picking one would silently alter what was sent.
 */
export function checkRequestTarget(url: string, singleValued: boolean): void {
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  for (const segment of path.split('/')) {
    decodeStrict(segment);
  }
  if (mark < 0) {
    return;
  }
  const seen = new Set<string>();
  for (const pair of url.slice(mark + 1).split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const name = decodeStrict((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    decodeStrict((eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '));
    if (singleValued) {
      if (seen.has(name)) {
        const quoted = name.length > MAX_QUOTED_NAME ? `${name.slice(0, MAX_QUOTED_NAME)}…` : name;
        throw new ApiError('bad_request', `The query parameter ${JSON.stringify(quoted)} is given more than once.`);
      }
      seen.add(name);
    }
  }
}

/**
 * Checks that a header value arrived as UTF-8. Node.js hands header bytes over as
 * Latin-1 characters, one per byte, so the bytes are recovered and decoded strictly.
 */
export function checkHeaderText(name: string, value: string | string[] | undefined): void {
  if (value === undefined) {
    return;
  }
  for (const text of Array.isArray(value) ? value : [value]) {
    if (/[^\x20-\x7e]/.test(text)) {
      try {
        utf8.decode(Buffer.from(text, 'latin1'));
      } catch {
        throw new ApiError('bad_request', `The ${name} header is not valid UTF-8.`);
      }
    }
  }
}
