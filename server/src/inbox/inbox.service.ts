import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

import { authString, nowSeconds } from '@kez/crypto';
import { checkHandle, INBOX_DEFAULT_LIMIT, MAX_ENVELOPE_BYTES, type PostMessageResponse, splitKez } from '@kez/protocol';

import { KezAuth } from '../auth/kez-auth.service';
import { Broker, type InboxEvent } from '../broker/broker';
import { ApiError } from '../common/errors/api-error';
import { logHandle } from '../common/logging/log-privacy';
import { AppConfig } from '../config/app-config';
import { PushNotifier } from '../push/push-notifier';
import { InboxMetrics } from './inbox-metrics';
import { messageJson, rememberEnvelopeJson } from './message-json';
import type { InboxQueryDto, PostMessageDto } from './messages.dto';
import { type InsertedMessage, MessageStore, type NewMessage } from './message-store';
import { WriteBatcher } from './write-batcher';

/** Most envelope bytes in one inbox page (always at least one message); `next` continues from there. */
export const INBOX_PAGE_MAX_BYTES = 4 * 1024 * 1024;

/** One transaction holds at most this many messages, or this many envelope bytes. */
const BATCH_MAX_ROWS = 500;
const BATCH_MAX_BYTES = 8 * 1024 * 1024;

interface PendingMessage {
  row: NewMessage;
  envelope: Record<string, unknown>;
  /** false when the sender asked that no device be woken (contract §4 `"push": false`). */
  push: boolean;
}

/** `POST /v1/messages` and `GET /v1/inbox/:handle`. */
@Injectable()
export class InboxService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InboxService.name);
  private readonly writes = new WriteBatcher<PendingMessage, InsertedMessage | null>((batch) => this.commit(batch), {
    maxItems: BATCH_MAX_ROWS,
    maxWeight: BATCH_MAX_BYTES,
    weigh: (pending) => pending.row.size,
  });

  constructor(
    private readonly config: AppConfig,
    private readonly store: MessageStore,
    private readonly broker: Broker,
    private readonly auth: KezAuth,
    private readonly metrics: InboxMetrics,
    private readonly pushNotifier: PushNotifier,
  ) {
    broker.onMissed((recipient) => this.decidePush(recipient, false));
  }

  /**
   * Stores an envelope for a handle of this server and answers once it is durable.
   * Inserts arriving together share one transaction (see WriteBatcher).
   */
  async post(request: PostMessageDto): Promise<PostMessageResponse> {
    const durable = this.metrics.postStarted();
    const recipient = this.recipient(request.to);
    // The size as sent is measured on the envelope's compact JSON text, which is also what is stored and served.
    const envelope = JSON.stringify(request.envelope);
    const size = Buffer.byteLength(envelope);
    if (size > MAX_ENVELOPE_BYTES) {
      throw new ApiError('payload_too_large', `The envelope is ${size} bytes; the limit is ${MAX_ENVELOPE_BYTES}.`);
    }
    rememberEnvelopeJson(request.envelope, envelope);
    const row: NewMessage = { recipient, createdAt: nowSeconds(), size, envelope };
    let inserted: InsertedMessage | null;
    try {
      inserted = await this.writes.submit({ row, envelope: request.envelope, push: request.push !== false });
    } catch (error) {
      this.logger.error(`storing a message failed: ${String(error)}`);
      throw new ApiError('unavailable', 'The message could not be stored; try again.');
    }
    if (!inserted) {
      throw new ApiError('not_found', 'No such handle on this server.');
    }
    durable();
    return { seq: inserted.seq, created_at: row.createdAt };
  }

  /** A page of the handle's inbox as JSON text, built around the stored envelope texts. */
  async page(rawHandle: string, query: InboxQueryDto, authValue: string | undefined): Promise<string> {
    const { handle } = await this.auth.authorize(rawHandle, authValue, (h) => (ts) => authString.pollInbox(h, query.since, ts));
    const since = Number(query.since ?? 0);
    const limit = query.limit === undefined ? INBOX_DEFAULT_LIMIT : Number(query.limit);
    const rows = await this.store.page(handle, since, limit, INBOX_PAGE_MAX_BYTES);
    // With no messages, next is since exactly as sent (validated digits), not a number's round trip.
    const next = rows.length > 0 ? String(rows[rows.length - 1].seq) : (query.since ?? '0');
    return `{"messages":[${rows.map((r) => messageJson(r.seq, r.envelope, r.createdAt)).join(',')}],"next":${next}}`;
  }

  /** Lets queued messages commit before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.writes.drain();
  }

  /** `bob` or `bob@<this server>`, canonical; a reserved name or another server's user is not found here. */
  private recipient(to: string): string {
    const { handle, server } = splitKez(to);
    if (server !== undefined && server !== this.config.server) {
      throw new ApiError('not_found', 'That handle belongs to another server; send to it directly.');
    }
    const check = checkHandle(handle);
    if (!check.ok) {
      throw check.code === 'reserved_handle' ? new ApiError('not_found', 'No such handle on this server.') : new ApiError('invalid_handle');
    }
    return check.handle;
  }

  /** One transaction for the batch, then live delivery in commit order. */
  private async commit(batch: PendingMessage[]): Promise<(InsertedMessage | null)[]> {
    const results = await this.store.insertBatch(batch.map((pending) => pending.row));
    batch.forEach(({ row, envelope, push }, i) => {
      const inserted = results[i];
      if (inserted) {
        this.announce(row.recipient, { seq: inserted.seq, prev: inserted.prev, envelope, created_at: row.createdAt }, push);
      }
    });
    return results;
  }

  /**
   * Hands a durable message to the live streams; whether any took it decides on Web Push,
   * unless the sender asked for no push at all (`push` false, contract §4): then no
   * instance decides on one, here or in this one's place.
   */
  private announce(recipient: string, event: InboxEvent, push: boolean): void {
    this.broker
      .publish(recipient, event, { wake: push })
      .then((streamed) => (push ? this.decidePush(recipient, streamed) : undefined))
      .catch((error: unknown) => {
        this.logger.warn(`live delivery to ${logHandle(recipient)} failed: ${String(error)}`);
      });
  }

  /**
   * The push decision for a posted message, in one place: wake the recipient's
   * devices when no live stream anywhere took (or holds) it. Also reached through
   * `Broker.onMissed` on the instance whose stream closed before the message it
   * was counted on for arrived. Never awaited by the request. A post that asks
   * for no push never gets here: it is published with `wake: false`, so the
   * broker hands no decision on either.
   */
  private decidePush(recipient: string, streamed: boolean): void {
    if (!streamed) {
      this.pushNotifier.notify(recipient);
    }
  }
}
