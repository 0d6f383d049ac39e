import { checkHandle, formatKez, splitKez } from './handle';

describe(checkHandle.name, () => {
  it.each([
    ['alice', 'alice'],
    ['  Bob ', 'bob'],
    ['a1', 'a1'],
    ['9lives', '9lives'],
    ['x_y-z', 'x_y-z'],
    ['a'.repeat(32), 'a'.repeat(32)],
  ])('accepts %j as %j', (input, handle) => {
    expect(checkHandle(input)).toEqual({ ok: true, handle });
  });

  it.each(['', 'a', '_a', '-a', 'a'.repeat(33), 'a b', 'a.b', 'ålice', 'ALİCE', 'a\u0000b'])('refuses %j as invalid', (input) => {
    expect(checkHandle(input)).toEqual({ ok: false, code: 'invalid_handle' });
  });

  it.each(['admin', 'Administrator', 'root', 'everyone', 'null', 'undefined', 'kez', ' WWW '])('refuses %j as reserved', (input) => {
    expect(checkHandle(input)).toEqual({ ok: false, code: 'reserved_handle' });
  });
});

describe(splitKez.name, () => {
  it('splits handle@server and lower-cases the server', () => {
    expect(splitKez('alice@Chat.Example')).toEqual({ handle: 'alice', server: 'chat.example' });
    expect(splitKez('alice')).toEqual({ handle: 'alice' });
    expect(formatKez('alice', 'chat.example')).toBe('alice@chat.example');
  });
});
