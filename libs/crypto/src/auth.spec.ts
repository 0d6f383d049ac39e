import { ed25519 } from '@noble/curves/ed25519.js';

import { AUTH_SKEW_SECONDS } from '@kez/protocol';

import { authString, buildAuth, checkAuth, isFresh, parseAuth, signAuth, verifyAuth } from './auth';
import { CryptoError } from './errors';
import { publicKeyToPrimary } from './keys';

const edSecret = new Uint8Array(32).fill(5);
const primary = publicKeyToPrimary(ed25519.getPublicKey(edSecret));
const otherPrimary = publicKeyToPrimary(ed25519.getPublicKey(new Uint8Array(32).fill(6)));
const TS = 1764000000;
const ENDPOINT = 'https://push.example/send/abc?x=1';

describe('authString', () => {
  it('writes the exact canonical string of each row of docs/protocol.md section 2', () => {
    expect(authString.pollInbox('alice', '42', TS)).toBe('GET\n/v1/inbox/alice\nsince=42\n1764000000');
    expect(authString.pollInbox('alice', undefined, TS)).toBe('GET\n/v1/inbox/alice\nsince=0\n1764000000');
    expect(authString.openStream('alice', undefined, TS)).toBe('GET\n/v1/inbox/alice/stream\n1764000000');
    expect(authString.openStream('alice', '7', TS)).toBe('GET\n/v1/inbox/alice/stream\nsince=7\n1764000000');
    expect(authString.pushSubscribe('alice', ENDPOINT, TS)).toBe(`POST\n/v1/push/subscribe/alice\n${ENDPOINT}\n1764000000`);
    expect(authString.pushUnsubscribe('alice', ENDPOINT, TS)).toBe(`POST\n/v1/push/unsubscribe/alice\n${ENDPOINT}\n1764000000`);
    expect(authString.pushCheck('alice', ENDPOINT, TS)).toBe(`GET\n/v1/push/subscriptions/alice\n${ENDPOINT}\n1764000000`);
  });

  it('keeps `since` as sent', () => {
    expect(authString.pollInbox('alice', '007', TS)).toBe('GET\n/v1/inbox/alice\nsince=007\n1764000000');
    expect(authString.pollInbox('alice', '', TS)).toBe('GET\n/v1/inbox/alice\nsince=\n1764000000');
  });

  it('refuses fields that would change the line structure', () => {
    const bad = [
      () => authString.pollInbox('Alice', undefined, TS),
      () => authString.pollInbox('alice/stream', undefined, TS),
      () => authString.pollInbox('alice', '1\n2', TS),
      () => authString.openStream('alice', '1\n2', TS),
      () => authString.pushSubscribe('alice', `${ENDPOINT}\n1`, TS),
      () => authString.pushCheck('alice', ENDPOINT, 1.5),
      () => authString.pushCheck('alice', ENDPOINT, -1),
    ];
    for (const build of bad) {
      expect(build).toThrow(CryptoError);
    }
  });
});

describe(signAuth.name, () => {
  it('produces `<ts>:<128 hex>` that verifies for its row', () => {
    const value = signAuth((ts) => authString.pollInbox('alice', '3', ts), edSecret, TS);
    expect(value).toMatch(/^1764000000:[0-9a-f]{128}$/);
    const parsed = parseAuth(value)!;
    expect(parsed.ts).toBe(TS);
    expect(verifyAuth(authString.pollInbox('alice', '3', parsed.ts), parsed.sig, primary)).toBe(true);
    expect(verifyAuth(authString.pollInbox('alice', '3', parsed.ts), parsed.sig, otherPrimary)).toBe(false);
  });

  it('defaults ts to now', () => {
    const before = Math.floor(Date.now() / 1000);
    const parsed = parseAuth(signAuth((ts) => authString.openStream('alice', undefined, ts), edSecret))!;
    expect(parsed.ts).toBeGreaterThanOrEqual(before);
    expect(parsed.ts).toBeLessThanOrEqual(before + 2);
  });

  it('never verifies a signature made for one row for another row (cross-endpoint replay)', () => {
    const rows = [
      (ts: number) => authString.pollInbox('alice', undefined, ts),
      (ts: number) => authString.pollInbox('alice', '0', ts),
      (ts: number) => authString.pollInbox('alice', '5', ts),
      (ts: number) => authString.openStream('alice', undefined, ts),
      (ts: number) => authString.openStream('alice', '0', ts),
      (ts: number) => authString.pushSubscribe('alice', ENDPOINT, ts),
      (ts: number) => authString.pushUnsubscribe('alice', ENDPOINT, ts),
      (ts: number) => authString.pushCheck('alice', ENDPOINT, ts),
      (ts: number) => authString.pollInbox('bob', undefined, ts),
      (ts: number) => authString.pushCheck('alice', `${ENDPOINT}2`, ts),
    ];
    rows.forEach((signedRow, i) => {
      const { ts, sig } = parseAuth(signAuth(signedRow, edSecret, TS))!;
      rows.forEach((checkedRow, j) => {
        // Rows 0 and 1 are the same string by definition (absent since is since=0).
        const same = i === j || (i <= 1 && j <= 1);
        expect(verifyAuth(checkedRow(ts), sig, primary)).toBe(same);
      });
      expect(verifyAuth(signedRow(ts + 1), sig, primary)).toBe(false);
    });
  });
});

describe(buildAuth.name, () => {
  it('signs a prepared string whose last line is the ts', () => {
    const message = authString.pushCheck('alice', ENDPOINT, TS);
    expect(buildAuth(message, edSecret, TS)).toBe(signAuth((ts) => authString.pushCheck('alice', ENDPOINT, ts), edSecret, TS));
  });

  it('refuses a ts that is not the one in the string', () => {
    expect(() => buildAuth(authString.pushCheck('alice', ENDPOINT, TS), edSecret, TS + 1)).toThrow(CryptoError);
    expect(() => buildAuth(authString.pushCheck('alice', ENDPOINT, 11), edSecret, 1)).toThrow(CryptoError);
  });
});

describe(parseAuth.name, () => {
  const sig = 'ab'.repeat(64);

  it('parses `<decimal ts>:<128 lowercase hex>`', () => {
    expect(parseAuth(`${TS}:${sig}`)).toEqual({ ts: TS, sig });
    expect(parseAuth(`0:${sig}`)).toEqual({ ts: 0, sig });
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['uppercase hex', `${TS}:${sig.toUpperCase()}`],
    ['a short signature', `${TS}:${sig.slice(2)}`],
    ['a long signature', `${TS}:${sig}00`],
    ['a non-decimal ts', `0x10:${sig}`],
    ['a negative ts', `-1:${sig}`],
    ['a fractional ts', `1.5:${sig}`],
    ['a leading zero', `0${TS}:${sig}`],
    ['an exponent', `1e9:${sig}`],
    ['a missing colon', `${TS}${sig}`],
    ['two colons', `${TS}:${sig}:`],
    ['whitespace', ` ${TS}:${sig}`],
    ['a trailing newline', `${TS}:${sig}\n`],
    ['an unsafe integer', `99999999999999999:${sig}`],
  ])('refuses %s', (_, value) => {
    expect(parseAuth(value)).toBeNull();
  });
});

describe(verifyAuth.name, () => {
  it('returns false, never throws, for a malformed primary or signature', () => {
    const { sig } = parseAuth(signAuth((ts) => authString.pollInbox('alice', undefined, ts), edSecret, TS))!;
    const message = authString.pollInbox('alice', undefined, TS);
    expect(verifyAuth(message, sig, 'ed25519:zz')).toBe(false);
    expect(verifyAuth(message, sig, primary.toUpperCase())).toBe(false);
    expect(verifyAuth(message, sig.toUpperCase(), primary)).toBe(false);
    expect(verifyAuth(message, 'x', primary)).toBe(false);
  });
});

describe(isFresh.name, () => {
  it('accepts |now − ts| ≤ 60 s and nothing beyond', () => {
    expect(AUTH_SKEW_SECONDS).toBe(60);
    expect(isFresh(TS, TS + 60, AUTH_SKEW_SECONDS)).toBe(true);
    expect(isFresh(TS, TS - 60, AUTH_SKEW_SECONDS)).toBe(true);
    expect(isFresh(TS, TS + 61, AUTH_SKEW_SECONDS)).toBe(false);
    expect(isFresh(TS, TS - 61, AUTH_SKEW_SECONDS)).toBe(false);
    expect(isFresh(TS, TS + 61)).toBe(false);
    expect(isFresh(Number.NaN, TS)).toBe(false);
  });
});

describe(checkAuth.name, () => {
  const row = (ts: number) => authString.pollInbox('alice', undefined, ts);

  it('answers in the contract codes', () => {
    const value = signAuth(row, edSecret, TS);
    expect(checkAuth(value, row, primary, TS + 10)).toBe('ok');
    expect(checkAuth(undefined, row, primary, TS)).toBe('unauthorized');
    expect(checkAuth('garbage', row, primary, TS)).toBe('unauthorized');
    expect(checkAuth(value, row, primary, TS + 61)).toBe('stale_timestamp');
    expect(checkAuth(value, row, otherPrimary, TS)).toBe('bad_signature');
    expect(checkAuth(value, (ts) => authString.openStream('alice', undefined, ts), primary, TS)).toBe('bad_signature');
    expect(checkAuth(value, () => authString.pollInbox('Bad/handle', undefined, TS), primary, TS)).toBe('unauthorized');
  });
});
