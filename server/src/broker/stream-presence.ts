import { Injectable } from '@nestjs/common';

import { ClusterPresence } from './cluster-presence';
import { LocalBroker } from './local-broker';
import { inboxSubject } from './nats-broker';
import { answered } from './probe';

/** How long to wait for another instance to answer whether it holds a stream. */
const PROBE_TIMEOUT_MS = 1_000;
/** Not an inbox event: instances that hold a stream answer it (with "0") and deliver nothing. */
const PROBE = new TextEncoder().encode('{}');

/**
 * Answers "does this handle have a live SSE stream open on any instance?" for
 * events that reach a user outside the inbox (the relay), so they push only to
 * users who are not watching. The answer comes from the instances' announcements
 * (ClusterPresence) without a round trip. Only while that table is in doubt (just
 * after a (re)connect) is NATS asked: every instance holding a stream for the
 * handle answers a request on `kez.chat.inbox.<handle>` (a subscription that lingers after its last stream closed stays silent), so any
 * answer means yes. While NATS is away, only this instance's streams count (the push errs
 * on the side of waking).
 */
@Injectable()
export class StreamPresence {
  constructor(
    private readonly local: LocalBroker,
    private readonly presence: ClusterPresence,
  ) {}

  async isStreaming(handle: string): Promise<boolean> {
    if (this.local.hasListeners(handle)) {
      return true;
    }
    return this.presence.heldElsewhere(handle, (nc) => answered(nc, inboxSubject(handle), PROBE, PROBE_TIMEOUT_MS));
  }
}
