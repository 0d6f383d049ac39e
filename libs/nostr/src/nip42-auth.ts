import type { AbstractRelay } from 'nostr-tools/abstract-relay';
import type { EventTemplate, VerifiedEvent } from 'nostr-tools/pure';

/** What `authenticate` needs of a nostr-tools relay connection. */
export type AuthRelay = Pick<AbstractRelay, 'auth' | 'connected'>;

/**
 * Answers the relay's NIP-42 challenge (`relay.auth`), safe against the connection
 * closing while the answer is signed: nostr-tools would then send it on the closed
 * socket without awaiting the send, and the rejection would go unhandled (it ends a
 * Node process; a browser logs it). The signer checks the connection once it has
 * signed (nothing closes in between: a socket's close is a task, the rest runs in
 * microtasks) and refuses; nostr-tools swallows that refusal and would wait forever,
 * so the refusal also rejects here.
 *
 * @throws Error `the connection closed while the AUTH answer was signed`, or what `relay.auth` throws (the relay's refusal, no challenge).
 */
export async function authenticate(relay: AuthRelay, signAuth: (template: EventTemplate) => VerifiedEvent | Promise<VerifiedEvent>): Promise<void> {
  let refuse!: (error: Error) => void;
  const refused = new Promise<never>((_resolve, reject) => (refuse = reject));
  const sign = async (template: EventTemplate): Promise<VerifiedEvent> => {
    const event = await signAuth(template);
    if (!relay.connected) {
      const error = new Error('the connection closed while the AUTH answer was signed');
      refuse(error);
      throw error;
    }
    return event;
  };
  await Promise.race([relay.auth(sign), refused]);
}
