import type { StoredMessage } from '@kez/protocol';

/**
 * `{"seq","envelope","created_at"}` as JSON text, built around the envelope's stored
 * JSON text so a page or an event never parses and re-serializes envelopes.
 */
export function messageJson(seq: number, envelopeJson: string, createdAt: number): string {
  return `{"seq":${seq},"envelope":${envelopeJson},"created_at":${createdAt}}`;
}

/** The envelope's JSON text, serialized once however many streams send the same message. */
const serialized = new WeakMap<object, string>();

/** Records the JSON text an envelope arrived as, so live streams send it without serializing again. */
export function rememberEnvelopeJson(envelope: object, json: string): void {
  serialized.set(envelope, json);
}

export function storedMessageJson(message: StoredMessage): string {
  let envelope = serialized.get(message.envelope);
  if (envelope === undefined) {
    envelope = JSON.stringify(message.envelope);
    serialized.set(message.envelope, envelope);
  }
  return messageJson(message.seq, envelope, message.created_at);
}
