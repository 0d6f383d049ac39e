import { ApiError } from '../errors/api-error';
import { checkHeaderText, checkRequestTarget, decodeStrict } from './request-text';

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('bad_request');
    return (error as ApiError).message;
  }
  throw new Error('accepted');
}

describe(decodeStrict.name, () => {
  it('decodes UTF-8 escapes', () => {
    expect(decodeStrict('%C2%A0kate')).toBe('\u00A0kate');
    expect(decodeStrict('%F0%9F%98%80')).toBe('😀');
  });

  it.each(['%E0%A4%A', '%FF%FEkate', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%', '%zz', '%E2%82'])('refuses %s', (component) => {
    expect(refusal(() => decodeStrict(component))).toBe('The URL is not valid percent-encoded UTF-8.');
  });
});

describe(checkRequestTarget.name, () => {
  it('accepts well-formed paths and queries', () => {
    expect(() => checkRequestTarget('/v1/u/kate', true)).not.toThrow();
    expect(() => checkRequestTarget('/.well-known/webfinger?resource=acct%3Akate%40chat.test', true)).not.toThrow();
    expect(() => checkRequestTarget('/v1/inbox/kate?since=1&limit=2&', true)).not.toThrow();
    expect(() => checkRequestTarget('/app?tab=1&tab=2', false)).not.toThrow();
  });

  it.each(['/v1/u/%E0%A4%A', '/v1/u/kate?x=%FF', '/v1/u/kate?%FF=1', '/.well-known/nostr.json?name=%C0%AF'])('refuses bad escapes in %s', (url) => {
    expect(refusal(() => checkRequestTarget(url, true))).toMatch(/percent-encoded UTF-8/);
  });

  it('refuses a repeated query parameter on the API, also when spelled differently', () => {
    expect(refusal(() => checkRequestTarget('/.well-known/webfinger?resource=a&resource=b', true))).toBe(
      'The query parameter "resource" is given more than once.',
    );
    expect(refusal(() => checkRequestTarget('/v1/inbox/kate?since=1&%73ince=2', true))).toMatch(/"since"/);
    expect(refusal(() => checkRequestTarget(`/v1/x?${'n'.repeat(5000)}=1&${'n'.repeat(5000)}=2`, true)).length).toBeLessThan(120);
  });
});

describe(checkHeaderText.name, () => {
  it('accepts ASCII and UTF-8 bytes (as Node.js hands them over, one Latin-1 character per byte)', () => {
    expect(() => checkHeaderText('X-KEZ-Auth', '1:abc')).not.toThrow();
    expect(() => checkHeaderText('X-KEZ-Auth', Buffer.from('é', 'utf8').toString('latin1'))).not.toThrow();
    expect(() => checkHeaderText('X-KEZ-Auth', undefined)).not.toThrow();
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(refusal(() => checkHeaderText('X-KEZ-Auth', '1:\xff\xfe'))).toBe('The X-KEZ-Auth header is not valid UTF-8.');
  });
});
