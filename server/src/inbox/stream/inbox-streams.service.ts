import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { authString } from '@kez/crypto';
import { trimAsciiSpace } from '@kez/protocol';

import { KezAuth } from '../../auth/kez-auth.service';
import { Broker } from '../../broker/broker';
import { ApiError } from '../../common/errors/api-error';
import { logHandle } from '../../common/logging/log-privacy';
import { AppConfig } from '../../config/app-config';
import { InboxMetrics } from '../inbox-metrics';
import type { StreamQueryDto } from '../messages.dto';
import { MessageStore } from '../message-store';
import { SSE_HEADERS, SseWriter } from './sse-writer';
import { StreamSession } from './stream-session';

/** A catch-up page for a stream: small, so a slow client costs little memory while it reads. */
const STREAM_PAGE_ROWS = 100;
const STREAM_PAGE_BYTES = 256 * 1024;

/** A client that reads nothing for this many keep-alive intervals while data waits is gone. */
const STALL_KEEPALIVES = 4;

/** `Last-Event-ID` carries a seq we sent, written like `since`. */
const SEQ_TEXT = /^(0|[1-9][0-9]{0,15})$/;

/** Opens `GET /v1/inbox/:handle/stream` streams and closes them all at shutdown. */
@Injectable()
export class InboxStreams implements BeforeApplicationShutdown {
  private readonly logger = new Logger('InboxStreams');
  private readonly open = new Set<SseWriter>();
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly auth: KezAuth,
    private readonly broker: Broker,
    private readonly store: MessageStore,
    private readonly metrics: InboxMetrics,
  ) {}

  /**
   * Checks the request, subscribes, then takes over the raw response. Errors before
   * that are ordinary error responses; after it, the stream is simply closed.
   * `headOnly` (a HEAD request) answers the same checks with the stream's status and
   * headers and no body, at once, without subscribing: only a GET is a live reader
   * (presence, the open-streams metric, the Web Push decision).
   */
  async openStream(rawHandle: string, query: StreamQueryDto, lastEventId: string | undefined, reply: FastifyReply, headOnly = false): Promise<void> {
    if (query.auth === undefined || query.auth === '') {
      throw new ApiError('bad_request', 'auth is required: ?auth=<ts>:<sig> (EventSource cannot send X-KEZ-Auth).');
    }
    const since = query.since ?? resumePoint(lastEventId);
    const { handle } = await this.auth.authorize(rawHandle, query.auth, (h) => (ts) => authString.openStream(h, query.since, ts));
    if (headOnly) {
      if (this.closing) {
        throw new ApiError('unavailable', 'The server is shutting down; reconnect shortly.');
      }
      reply.hijack();
      reply.raw.writeHead(200, SSE_HEADERS);
      reply.raw.end();
      return;
    }

    const out = new SseWriter(reply.raw, {
      keepaliveMs: this.config.streamKeepaliveMs,
      maxQueuedBytes: this.config.streamMaxQueueBytes,
      stallMs: STALL_KEEPALIVES * this.config.streamKeepaliveMs,
    });
    const session = new StreamSession(
      out,
      (after) => this.store.page(handle, after, STREAM_PAGE_ROWS, STREAM_PAGE_BYTES),
      (error) => this.logger.error(`stream of ${logHandle(handle)} failed: ${String(error)}`),
    );
    // Subscribed before the first read, so nothing committed from here on is missed.
    const unsubscribe = await this.broker.subscribe(handle, (event) => session.offer(event));
    let cursor: number;
    try {
      // Without a resume point the stream carries what is stored after this moment, read before answering.
      cursor = since !== undefined ? Number(since) : await this.store.latestSeq(handle);
      if (this.closing) {
        throw new ApiError('unavailable', 'The server is shutting down; reconnect shortly.');
      }
    } catch (error) {
      unsubscribe();
      throw error;
    }
    reply.hijack();
    this.open.add(out);
    this.metrics.streamOpened();
    void out.closed.then((reason) => {
      unsubscribe();
      this.open.delete(out);
      this.metrics.streamClosed();
      if (reason === 'behind' || reason === 'stalled') {
        this.logger.log(`closed a stream of ${logHandle(handle)}: the client fell ${reason === 'behind' ? 'too far behind' : 'silent'}`);
      }
    });
    out.open();
    void session.start(cursor);
  }

  /** Ends every stream before the HTTP server closes, so shutdown never waits for clients. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const out of this.open) {
      out.end();
    }
  }
}

function resumePoint(lastEventId: string | undefined): string | undefined {
  if (lastEventId === undefined) {
    return undefined;
  }
  const value = trimAsciiSpace(lastEventId);
  if (!SEQ_TEXT.test(value)) {
    throw new ApiError('bad_request', 'Last-Event-ID must be a seq this server sent.');
  }
  return value;
}
