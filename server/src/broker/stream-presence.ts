import { Injectable } from '@nestjs/common';

import { NatsClient } from '../nats/nats-client';
import { LocalBroker } from './local-broker';
import { inboxSubject } from './nats-broker';

/** How long to wait for another instance to answer whether it holds a stream. */
const PROBE_TIMEOUT_MS = 1_000;
/** Not an inbox event: instances that hold a stream answer it (with "0") and deliver nothing. */
const PROBE = new TextEncoder().encode('{}');

/**
 * Answers "does this handle have a live SSE stream open on any instance?" for
 * events that reach a user outside the inbox (the relay), so they push only to
 * users who are not watching. An instance subscribes to `kez.chat.inbox.<handle>`
 * exactly while it holds a stream for it (NatsBroker), so any answer to a
 * request there means yes, and "no responders" means no. While NATS is away,
 * only this instance's streams count (the push errs on the side of waking).
 */
@Injectable()
export class StreamPresence {
  constructor(
    private readonly local: LocalBroker,
    private readonly nats: NatsClient,
  ) {}

  async isStreaming(handle: string): Promise<boolean> {
    if (this.local.hasListeners(handle)) {
      return true;
    }
    const nc = this.nats.connection;
    if (!nc) {
      return false;
    }
    try {
      await nc.request(inboxSubject(handle), PROBE, { timeout: PROBE_TIMEOUT_MS });
      return true;
    } catch {
      // "No responders" (nobody streams) or no clear answer: wake the devices rather than risk a missed message.
      return false;
    }
  }
}
