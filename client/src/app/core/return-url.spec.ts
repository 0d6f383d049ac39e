import { safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('follows paths inside the chat screens', () => {
    expect(safeReturnUrl('/chats')).toBe('/chats');
    expect(safeReturnUrl('/chats/alice')).toBe('/chats/alice');
    expect(safeReturnUrl('/chats/ed25519%3Aabc')).toBe('/chats/ed25519%3Aabc');
  });

  it('refuses anything else, so a link cannot send someone off the site', () => {
    for (const value of [null, undefined, '', '/', '/unlock', '//evil.example/chats', 'https://evil.example/chats', '/chatsx', '/chats\\..\\x', 'chats/alice']) {
      expect(safeReturnUrl(value)).toBeNull();
    }
  });
});
