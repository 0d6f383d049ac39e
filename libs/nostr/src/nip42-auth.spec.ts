import { finalizeEvent, generateSecretKey, type EventTemplate, type VerifiedEvent } from 'nostr-tools/pure';

import { authenticate } from './nip42-auth';

const secret = generateSecretKey();

/** A relay connection as nostr-tools has it: `auth` signs, then sends and resolves on OK; a refused signature is swallowed and it waits on. */
function relay() {
  const sent: VerifiedEvent[] = [];
  return {
    connected: true,
    sent,
    async auth(sign: (template: EventTemplate) => Promise<VerifiedEvent>): Promise<string> {
      let event: VerifiedEvent;
      try {
        event = await sign({ kind: 22242, created_at: 1_800_000_000, tags: [], content: '' });
      } catch {
        return new Promise<string>(() => undefined);
      }
      sent.push(event);
      return 'ok';
    },
  };
}

describe(authenticate.name, () => {
  it('answers the challenge on a live connection', async () => {
    const live = relay();
    await authenticate(live, (template) => finalizeEvent(template, secret));
    expect(live.sent).toHaveLength(1);
  });

  it('refuses, rather than sending on a closed socket or waiting forever, when the connection closed while signing', async () => {
    const closing = relay();
    const signer = (template: EventTemplate) => {
      closing.connected = false; // the relay hangs up meanwhile
      return finalizeEvent(template, secret);
    };
    await expect(authenticate(closing, signer)).rejects.toThrow('the connection closed while the AUTH answer was signed');
    expect(closing.sent).toEqual([]);
  });
});
