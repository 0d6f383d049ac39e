/** A message about to be stored; `envelope` is its JSON text, `size` that text's UTF-8 byte length. */
export interface NewMessage {
  recipient: string;
  createdAt: number;
  size: number;
  envelope: string;
}

/** Where an insert landed: its `seq` and the recipient's previous one (0 for the first). */
export interface InsertedMessage {
  seq: number;
  prev: number;
}

/** A stored message as read back; `envelope` is the JSON text that was stored. */
export interface StoredRow {
  seq: number;
  createdAt: number;
  envelope: string;
}

/**
 * The `messages` table, one implementation per database (their locking and SQL
 * differ). Every `seq` of one recipient is larger than the seqs of that recipient
 * committed before it, so a reader that saw seq N has seen every earlier one.
 */
export abstract class MessageStore {
  /**
   * Inserts `rows` in one transaction, in their order; resolves once committed.
   * A row whose recipient has no handle is skipped and answers null.
   */
  abstract insertBatch(rows: readonly NewMessage[]): Promise<(InsertedMessage | null)[]>;

  /**
   * The recipient's messages with `seq > since`, ascending: at most `limit` of them,
   * stopping before the envelopes pass `maxBytes` (but always at least one).
   */
  abstract page(recipient: string, since: number, limit: number, maxBytes: number): Promise<StoredRow[]>;

  /** The recipient's highest seq, 0 when it has none. */
  abstract latestSeq(recipient: string): Promise<number>;

  /** Deletes up to `batch` messages created before `createdBefore` (unix s); resolves how many. */
  abstract deleteOlderThan(createdBefore: number, batch: number): Promise<number>;
}

/**
 * The last seq of a page: rows are taken in order while their sizes fit `maxBytes`,
 * the first one always. Undefined for no rows.
 */
export function lastSeqWithin(sizes: readonly { seq: number; size: number }[], maxBytes: number): number | undefined {
  let total = 0;
  let last: number | undefined;
  for (const { seq, size } of sizes) {
    total += size;
    if (last !== undefined && total > maxBytes) {
      break;
    }
    last = seq;
  }
  return last;
}
