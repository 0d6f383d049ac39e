import { InvalidValue } from './parsers';
import { parsePublicUrl } from './relay-parsers';

describe('parsePublicUrl', () => {
  it('takes an http(s) origin and returns it without a trailing slash; empty stays empty', () => {
    expect(parsePublicUrl('https://Chat.Example.org/')).toBe('https://chat.example.org');
    expect(parsePublicUrl(' http://127.0.0.1:6969 ')).toBe('http://127.0.0.1:6969');
    expect(parsePublicUrl('')).toBe('');
  });

  it('refuses other schemes, paths, queries and credentials', () => {
    for (const bad of [
      'wss://chat.example.org',
      'chat.example.org',
      'https://chat.example.org/kez',
      'https://chat.example.org/?a=1',
      'https://u:p@chat.example.org',
    ]) {
      expect(() => parsePublicUrl(bad)).toThrow(InvalidValue);
    }
  });
});
