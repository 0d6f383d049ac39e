import type { NatsConnection } from 'nats';

/**
 * Whether anybody answers a NATS request on `subject` within `timeoutMs` (ms): the
 * "is anybody holding this" question asked while the presence table is in doubt.
 * "No responders" (nobody holds it) and no answer in time are both false, so the
 * caller wakes the devices rather than risk a missed message.
 */
export async function answered(nc: NatsConnection, subject: string, payload: Uint8Array, timeoutMs: number): Promise<boolean> {
  try {
    await nc.request(subject, payload, { timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}
