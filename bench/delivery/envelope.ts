import { randomBytes } from 'node:crypto';

/**
 * What the benchmark puts in an envelope the server treats as opaque: a unique id,
 * the recipient, and the time the message was *scheduled* to be sent (not when it
 * went out), so a stall that delays sending still counts against latency
 * (no coordinated omission). Padded with ciphertext-like base64 to about 1 KB.
 */
export interface BenchMark {
  id: string;
  to: string;
  /** Scheduled send time, epoch ms (see nowMs). */
  at: number;
}

export const ENVELOPE_BYTES = 1024;

// One random filler shared by every message: the server never looks, and the load client stays cheap.
const FILLER = randomBytes(ENVELOPE_BYTES).toString('base64');

export function benchEnvelope(mark: BenchMark): { v: number; bench: BenchMark; ct: string } {
  const bare = JSON.stringify({ v: 2, bench: mark, ct: '' }).length;
  return { v: 2, bench: mark, ct: FILLER.slice(0, Math.max(0, ENVELOPE_BYTES - bare)) };
}

/** The mark of a stream event's `data` (`{"seq","envelope","created_at"}`), or undefined when it carries none. */
export function readMark(data: string): { seq: number; mark?: BenchMark } {
  const message = JSON.parse(data) as { seq: number; envelope?: { bench?: BenchMark } };
  return { seq: message.seq, mark: message.envelope?.bench };
}
