import { FakeHomeServer } from '../testing/fake-home-server';
import { PeerDirectory } from './peer-directory';

const ME = { primary: 'ed25519:' + 'a'.repeat(64), handle: 'alice', server: 'chat.test' };
const BOB = 'ed25519:' + 'b'.repeat(64);

function setup() {
  const server = new FakeHomeServer('chat.test');
  server.add('alice', ME.primary);
  server.add('bob', BOB);
  return { server, directory: new PeerDirectory(server, ME) };
}

describe(PeerDirectory.name, () => {
  it.each(['bob', ' Bob ', 'bob@chat.test', 'BOB@Chat.Test', '@bob', ' @bob@chat.test'])('finds %p', async (input) => {
    const result = await setup().directory.find(input);
    expect(result).toMatchObject({ ok: true, record: { handle: 'bob', primary: BOB } });
  });

  it.each([
    ['', 'empty', 'Type a handle such as “bob” or a KEZ such as “bob@chat.test”.'],
    ['bob@other.example', 'other_server', 'bob@other.example is on another server. For now you can chat with people on chat.test only.'],
    ['bob@', 'invalid', '“bob@” has no server after “@”. Type “bob” or “bob@chat.test”.'],
    [' @bob@ ', 'invalid', '“bob@” has no server after “@”. Type “bob” or “bob@chat.test”.'],
    ['bob!', 'invalid', '“bob!” isn’t a handle. Not allowed: “!”. Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).'],
    ['b', 'invalid', '“b” isn’t a handle. Use at least 2 characters.'],
    ['\u0430lice', 'invalid', expect.stringContaining('Not allowed: “\u0430” (U+0430)')],
    ['alice', 'self', 'That’s you! To try KEZ chat, open a second browser, create another account there and message it.'],
    ['alice@chat.test', 'self', expect.stringContaining('That’s you!')],
    ['carol', 'unknown', 'Nobody is called carol@chat.test. Check the spelling.'],
    ['admin', 'unknown', 'Nobody is called admin@chat.test. Check the spelling.'],
  ])('explains %p (%s)', async (input, problem, message) => {
    expect(await setup().directory.find(input)).toEqual({ ok: false, problem, message });
  });

  it('says when the server cannot be asked', async () => {
    const { server, directory } = setup();
    server.failWith = 'network';
    expect(await directory.find('bob')).toMatchObject({ ok: false, problem: 'failed', message: expect.stringContaining('Can’t reach') });
  });

  it('names a key by its handle, remembering the answer', async () => {
    const { server, directory } = setup();
    expect((await directory.handleOf(BOB))?.handle).toBe('bob');
    server.failWith = 'network';
    expect((await directory.handleOf(BOB))?.handle).toBe('bob');
  });

  it('answers null for a key without a handle and rejects when the server cannot be asked', async () => {
    const { server, directory } = setup();
    expect(await directory.handleOf('ed25519:' + 'c'.repeat(64))).toBeNull();
    server.failWith = 'unavailable';
    await expect(directory.handleOf('ed25519:' + 'c'.repeat(64))).rejects.toMatchObject({ code: 'unavailable' });
  });
});
