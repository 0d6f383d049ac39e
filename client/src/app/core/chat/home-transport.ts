import { type Identity, type MessageContent, newMessageId, nowSeconds, sealV2 } from '@kez/crypto';
import { receiptContent } from '@kez/protocol';

import { failureText } from '../api/failure-text';
import type { HomeServer } from '../api/home-server';
import type { ArrivalListener, MessageTransport, PeerAddress, SendOptions, SendReport } from '../nostr/transport';

/** The path name of the home server in reports and "via …" lines. */
export const HOME_PATH = 'home';

export interface HomeTransportOptions {
  readonly identity: Identity;
  readonly api: HomeServer;
  /** The peer's handle when the address carries none (owed receipts are stored without it); null when unknown. */
  readonly handleOf: (primary: string) => string | null;
  /** Unix seconds. */
  readonly now?: () => number;
}

/**
 * The home server as a `MessageTransport` for sending: a message or a receipt sealed
 * (envelope v2) and posted to the peer's inbox with `POST /v1/messages`; receipts with
 * `"push": false`, so they never wake the peer (contract §4). It reads nothing: what
 * the home server carries arrives through the engine's inbox stream and poll
 * (`InboxProcessor`), which has the seq bookkeeping this interface has no room for.
 */
export class HomeTransport implements MessageTransport {
  readonly name = HOME_PATH;
  private readonly now: () => number;

  constructor(private readonly options: HomeTransportOptions) {
    this.now = options.now ?? nowSeconds;
  }

  async start(): Promise<void> {
    // Nothing to open: every send is one HTTP request.
  }

  stop(): void {
    // Nothing held open.
  }

  sendMessage(peer: PeerAddress, content: MessageContent & { id: string }, options: SendOptions = {}): Promise<SendReport> {
    return this.post(peer, { ...content, sent_at: content.sent_at ?? this.now() }, true, options);
  }

  /** Posts a receipt for `ids` (1..100) with `"push": false`. @throws RangeError for an empty, oversized or malformed id list. */
  sendReceipt(peer: PeerAddress, ids: readonly string[], options: SendOptions = {}): Promise<SendReport> {
    return this.post(peer, { id: newMessageId(), ...receiptContent(ids), sent_at: this.now() }, false, options);
  }

  onArrival(_listener: ArrivalListener): () => void {
    // Arrivals over the home server come through the inbox stream, not this adapter.
    return () => undefined;
  }

  private async post(peer: PeerAddress, content: MessageContent, push: boolean, options: SendOptions): Promise<SendReport> {
    const handle = peer.handle ?? this.options.handleOf(peer.primary);
    if (!handle) {
      return { accepted: [], refused: [{ path: HOME_PATH, reason: 'this person has no handle on the server' }] };
    }
    try {
      const envelope = sealV2(this.options.identity, peer.primary, content);
      await this.options.api.postMessage(handle, envelope, push ? {} : { push: false });
    } catch (error) {
      return { accepted: [], refused: [{ path: HOME_PATH, reason: failureText(error, 'send') }] };
    }
    options.onAccepted?.(HOME_PATH);
    return { first: HOME_PATH, accepted: [HOME_PATH], refused: [] };
  }
}
