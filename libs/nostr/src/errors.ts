/** Why a nostr event or payload was refused; callers branch on `code`, never on text. */
export type NostrErrorCode =
  /** Not the shape NIP-01 (or the NIP named in the message) gives the event or payload. */
  | 'malformed'
  /** A kind other than the one the function reads. */
  | 'wrong_kind'
  /** The event's id or signature does not verify. */
  | 'bad_signature'
  /** A NIP-17 message not addressed to the reader. */
  | 'wrong_recipient'
  /** NIP-44 decryption or NIP-59 unwrapping failed. */
  | 'decrypt_failed';

/** A deliberate refusal by `@kez/nostr`. */
export class NostrError extends Error {
  override readonly name = 'NostrError';

  constructor(
    readonly code: NostrErrorCode,
    message: string,
  ) {
    super(message);
  }
}
