import { deriveIdentity, generateSeed, openEnvelope } from '@kez/crypto';
import { readReceiptIds } from '@kez/protocol';

import { FakeHomeServer } from '../testing/fake-home-server';
import { HOME_PATH, HomeTransport } from './home-transport';

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());

function setup() {
  const server = new FakeHomeServer();
  server.add('alice', alice.primary, alice.addr);
  server.add('bob', bob.primary, bob.addr);
  const handles = new Map([[bob.primary, 'bob']]);
  const transport = new HomeTransport({ identity: alice, api: server, handleOf: (primary) => handles.get(primary) ?? null });
  return { server, transport };
}

describe(HomeTransport.name, () => {
  it('posts a receipt sealed to the sender, signed by us, with push: false', async () => {
    const { server, transport } = setup();
    const accepted: string[] = [];
    const report = await transport.sendReceipt({ primary: bob.primary, addr: bob.addr }, ['m1', 'm2'], { onAccepted: (path) => accepted.push(path) });
    expect(report).toEqual({ first: HOME_PATH, accepted: [HOME_PATH], refused: [] });
    expect(accepted).toEqual([HOME_PATH]);
    expect(server.pushes).toEqual([{ to: 'bob', push: false }]);
    const stored = server.inboxes.get('bob')![0]!;
    const opened = openEnvelope(bob, stored.envelope, stored.created_at);
    expect(opened.from).toBe(alice.primary);
    expect(readReceiptIds(opened.extra)).toEqual(['m1', 'm2']);
  });

  it('posts a message with the usual push', async () => {
    const { server, transport } = setup();
    await transport.sendMessage({ primary: bob.primary, addr: bob.addr, handle: 'bob' }, { id: 'x1', body: 'hi' });
    expect(server.pushes).toEqual([{ to: 'bob', push: true }]);
  });

  it('reports a refusal, never throws: no handle, or the server down', async () => {
    const { server, transport } = setup();
    const stranger = deriveIdentity(generateSeed());
    expect((await transport.sendReceipt({ primary: stranger.primary, addr: stranger.addr }, ['m1'])).refused).toEqual([
      { path: HOME_PATH, reason: 'this person has no handle on the server' },
    ]);
    server.goDown();
    const down = await transport.sendReceipt({ primary: bob.primary, addr: bob.addr }, ['m1']);
    expect(down.accepted).toEqual([]);
    expect(down.refused[0]!.path).toBe(HOME_PATH);
  });
});
