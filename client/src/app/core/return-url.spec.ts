import { returnParams, safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('follows paths inside the chat screens', () => {
    expect(safeReturnUrl('/chats')).toBe('/chats');
    expect(safeReturnUrl('/chats/alice')).toBe('/chats/alice');
    expect(safeReturnUrl('/chats/ed25519%3Aabc')).toBe('/chats/ed25519%3Aabc');
  });

  it('refuses anything else, so a link cannot send someone off the site', () => {
    for (const value of [
      null,
      undefined,
      '',
      '/',
      '/unlock',
      '//evil.example/chats',
      'https://evil.example/chats',
      '/chatsx',
      '/chats\\..\\x',
      'chats/alice',
    ]) {
      expect(safeReturnUrl(value)).toBeNull();
    }
  });
});

describe('returnParams', () => {
  it('carries a thread as ?next=, so unlocking (after a link or after Lock) returns to it', () => {
    expect(returnParams('/chats/alice')).toEqual({ next: '/chats/alice' });
  });

  it('carries nothing for the chat list itself or for a path outside the chat screens', () => {
    for (const value of ['/chats', '/', '/unlock?next=%2Fchats%2Fbob', '//evil.example/chats', null]) {
      expect(returnParams(value)).toEqual({});
    }
  });
});
