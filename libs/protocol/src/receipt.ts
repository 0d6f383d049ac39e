// Delivery receipts (contract section 6) are ordinary v2 envelopes sealed to the
// original sender and signed inside by the recipient's primary; what makes one a
// receipt is this signed field of its content, listing the acknowledged message ids.
// Over the home server they are posted with `"push": false`; on relays they are kind
// 4244. Only the envelope's inside says what they acknowledge.

/** The content field that holds the acknowledged ids. */
export const RECEIPT_FIELD = 'acks';
/** Longest message id a receipt names: the bound `@kez/crypto` puts on ids. */
export const RECEIPT_ID_MAX_LENGTH = 128;
/** Ids one receipt may acknowledge; a client batches more into several receipts. */
export const RECEIPT_MAX_IDS = 100;

/** The content to seal for a receipt of `ids` (1..RECEIPT_MAX_IDS message ids). */
export function receiptContent(ids: readonly string[]): { body: ''; [RECEIPT_FIELD]: string[] } {
  const unique = [...new Set(ids)];
  if (unique.length === 0 || unique.length > RECEIPT_MAX_IDS || !unique.every(isMessageId)) {
    throw new RangeError(`a receipt acknowledges 1..${RECEIPT_MAX_IDS} message ids`);
  }
  return { body: '', [RECEIPT_FIELD]: unique };
}

/**
 * The ids an opened message acknowledges, read from its signed extra fields, or
 * undefined when it is not a receipt or its list is malformed (a malformed receipt
 * changes nothing; it is not shown as a message either).
 */
export function readReceiptIds(extra: Readonly<Record<string, unknown>>): string[] | undefined {
  const ids = extra[RECEIPT_FIELD];
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > RECEIPT_MAX_IDS || !ids.every(isMessageId)) {
    return undefined;
  }
  return [...new Set(ids)];
}

/** True when `extra` carries a receipt field at all, well-formed or not. */
export function isReceiptContent(extra: Readonly<Record<string, unknown>>): boolean {
  return Object.prototype.hasOwnProperty.call(extra, RECEIPT_FIELD);
}

function isMessageId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= RECEIPT_ID_MAX_LENGTH;
}
