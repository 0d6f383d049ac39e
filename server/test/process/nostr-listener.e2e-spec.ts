import type { AddressInfo } from 'node:net';

import { WebSocketServer } from 'ws';

import { http } from '../support/kez-http';
import { startServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait-for';

/** The nostr listener against a misbehaving relay: a process test, since what it guards against is the process ending. */
describe('nostr listener and a rude relay', () => {
  it('stays up when a relay drops the connection right after its AUTH challenge', async () => {
    // A relay that challenges and hangs up: answering the challenge on its own used to
    // leave a rejected AUTH that ended the whole process.
    const rude = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    let connections = 0;
    rude.on('connection', (socket) => {
      connections++;
      socket.send(JSON.stringify(['AUTH', `challenge-${connections}`]));
      setTimeout(() => socket.terminate(), 20);
    });
    await new Promise((resolve) => rude.once('listening', resolve));
    const port = (rude.address() as AddressInfo).port;
    const server = await startServerProcess({ env: { KEZ_CHAT_RELAYS: `ws://127.0.0.1:${port}` } });
    try {
      await waitFor('two connections from the listener', () => connections >= 2);
      expect(server.child.exitCode).toBeNull();
      expect((await http(`${server.url}/v1/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
      await new Promise((resolve) => rude.close(resolve));
    }
  });
});
