import { PushNotifier } from '../../src/push/push-notifier';
import type { InProcessServer } from './in-process-server';
import { waitFor } from './wait-for';

/**
 * Waits until the server's Web Push fanout is idle: nothing queued, in flight or
 * waiting for a retry (`PushNotifier.load()`, the figures the Ops module reads). A
 * push is queued once the fanout has read its handle's subscriptions, one query
 * after the decision to wake: wait first for a later positive signal (the decision
 * counted, a later push received), then for this, and every push decided before
 * has reached its push service. In-process only: a process does not show its queue.
 */
export async function pushQueueIdle(server: InProcessServer): Promise<void> {
  const notifier = server.app.get(PushNotifier);
  await waitFor('the push queue to be idle', () => {
    const { inFlight, queued, retryScheduled } = notifier.load();
    return inFlight === 0 && queued === 0 && retryScheduled === 0;
  });
}
