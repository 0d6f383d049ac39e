import type { AddressInfo } from 'node:net';

import type { Logger } from '@nestjs/common';
import { finalizeEvent, generateSecretKey, type EventTemplate } from 'nostr-tools/pure';
import { WebSocketServer } from 'ws';

import { rawText } from '../relay/raw-text';
import { RelayConnection } from './relay-connection';

/** Resolves when `check` holds, looking every 10 ms (no timing assertion: the test's own timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe(RelayConnection.name, () => {
  it('survives a relay that closes the connection while the AUTH answer is being signed', async () => {
    // A relay that challenges on connect, asks for AUTH on the first REQ, and hangs up right after.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    let hungUp = false;
    wss.on('connection', (socket) => {
      socket.send(JSON.stringify(['AUTH', 'challenge-1']));
      socket.on('message', (data) => {
        const [type, id] = JSON.parse(rawText(data)) as [string, string];
        if (type === 'REQ' && !hungUp) {
          hungUp = true;
          socket.send(JSON.stringify(['CLOSED', id, 'auth-required: members only']));
          socket.close();
        }
      });
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const warnings: string[] = [];
    const logger = { log: () => undefined, debug: () => undefined, warn: (message: string) => warnings.push(message) } as unknown as Logger;
    const secret = generateSecretKey();
    // The signer finishes only once the client has seen the connection close: the AUTH is ready for a socket that is gone.
    const signAuth = async (template: EventTemplate) => {
      await until(() => !connection.connected && warnings.some((warning) => warning.includes('connection closed')));
      return finalizeEvent(template, secret);
    };
    const connection: RelayConnection = new RelayConnection({
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
      logger,
      onEvent: () => undefined,
      signAuth,
    });
    try {
      connection.setAddrs(['a'.repeat(64)]);
      connection.start();
      await until(() => warnings.some((warning) => warning.includes('AUTH failed')));
      // Give a rejection left behind the chance to surface before looking.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(warnings.find((warning) => warning.includes('AUTH failed'))).toContain('the connection closed');
    } finally {
      connection.stop();
      process.off('unhandledRejection', onUnhandled);
      for (const socket of wss.clients) {
        socket.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
