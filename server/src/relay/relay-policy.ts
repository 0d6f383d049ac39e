import { Injectable } from '@nestjs/common';
import type {
  BeforeHandleEventPlugin,
  BeforeHandleEventResult,
  BroadcastPlugin,
  ClientContext,
  Event,
  HandleMessagePlugin,
  HandleMessageResult,
  IncomingMessage,
} from '@nostr-relay/common';

import { nowSeconds } from '@kez/crypto';

import { AppConfig } from '../config/app-config';
import { clientKey } from '../rate-limit/ip-address';
import { RateLimitStore } from '../rate-limit/rate-limit.store';
import { HandleStore } from '../registry/handle-store';
import { admit, MAX_EVENT_BYTES, scopeFilters } from './inbox-policy';
import { LiveSubscriptions } from './live-subscriptions';
import { checkAuthEvent } from './relay-auth';
import { RelayFanout } from './relay-fanout';
import { RelayMetrics } from './relay-metrics';

/** What the gateway knows about a connection: its client address and the relay URLs its AUTH may name. */
export interface ConnectionInfo {
  ip: string;
  relayUrls: string[];
}

/**
 * The inbox rules, as @nostr-relay/core plugins (docs/protocol.md §8):
 * - every message: remembered for live delivery;
 * - `AUTH`: per-IP rate limit, then checked here in full (challenge, this
 *   relay's URL, ±10 min, signature), since the engine compares host names only;
 * - `EVENT`: size (`MAX_EVENT_BYTES`), then per-IP and per-author rate limits, then (before the
 *   engine stores it) what an inbox accepts and whether its recipient or
 *   author is registered;
 * - `REQ`: per-IP and per-key rate limits, then filters scoped to what the
 *   reader may see, or `CLOSED auth-required:`/`restricted:`;
 * - broadcast: replaced by whole-filter live delivery here and on the other
 *   instances, and the hook for Web Push.
 */
@Injectable()
export class RelayPolicy implements HandleMessagePlugin, BeforeHandleEventPlugin, BroadcastPlugin {
  /** Set by the gateway for each connection, keyed by its socket. */
  readonly connections = new WeakMap<object, ConnectionInfo>();
  /** The engine's context of each socket that sent a message. */
  private readonly contexts = new Map<object, ClientContext>();
  /** Called with each newly stored event and whether its recipient read it live here. */
  onAccepted: (event: Event, recipientTook: boolean) => void = () => undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly handles: HandleStore,
    private readonly rates: RateLimitStore,
    private readonly live: LiveSubscriptions,
    private readonly fanout: RelayFanout,
    private readonly metrics: RelayMetrics,
  ) {}

  async handleMessage(ctx: ClientContext, message: IncomingMessage, next: () => Promise<HandleMessageResult>): Promise<HandleMessageResult> {
    if (!this.contexts.has(ctx.client)) {
      this.contexts.set(ctx.client, ctx);
      this.live.add(ctx);
    }
    const info = this.connections.get(ctx.client) ?? { ip: 'unknown', relayUrls: [] };
    switch (message[0]) {
      case 'AUTH': {
        // Each AUTH costs a signature check: it takes a token from the address's bucket like EVENT and REQ.
        const refusal = await this.rateLimited(info.ip, undefined);
        if (refusal) {
          ctx.sendMessage(['OK', message[1].id, false, refusal]);
          return { messageType: 'AUTH', success: false };
        }
        return this.authenticate(ctx, message[1], info);
      }
      case 'EVENT': {
        const event = message[1];
        const refusal = await this.refuseEvent(event, info);
        if (refusal) {
          ctx.sendMessage(['OK', event.id, false, refusal]);
          this.metrics.eventRefused(refusal);
          return { messageType: 'EVENT', success: false, message: refusal };
        }
        const result = await next();
        if (result?.messageType === 'EVENT' && !result.success) {
          this.metrics.eventRefused(result.message);
        }
        return result;
      }
      case 'REQ': {
        const [, subscriptionId, ...filters] = message;
        const refusal = await this.rateLimited(info.ip, ctx.pubkey);
        const scope = refusal ? { ok: false as const, message: refusal } : scopeFilters(filters, ctx.pubkey);
        if (!scope.ok) {
          ctx.subscriptions.delete(subscriptionId);
          ctx.sendMessage(['CLOSED', subscriptionId, scope.message]);
          this.metrics.reqClosed(scope.message);
          if (scope.message.startsWith('auth-required:')) {
            ctx.sendMessage(['AUTH', ctx.id]);
          }
          this.fanout.syncReaders();
          return { messageType: 'REQ', events: [] };
        }
        // The engine reads the filters from the message: it gets the scoped ones.
        message.splice(2, filters.length, ...scope.filters);
        // Live from now on, before the engine's query: it registers the subscription only after EOSE, and an event
        // accepted in between would otherwise reach neither. It may now arrive twice before EOSE; clients dedupe by id.
        const settled = this.live.opened(ctx, subscriptionId, scope.filters);
        try {
          return await next();
        } finally {
          // Registered by the engine now, or CLOSED by it when reading failed.
          settled();
          this.fanout.syncReaders();
        }
      }
      case 'CLOSE': {
        const result = await next();
        this.fanout.syncReaders();
        return result;
      }
    }
  }

  /** Runs inside the engine before it checks duplicates and signatures and stores the event. */
  async beforeHandleEvent(event: Event): Promise<BeforeHandleEventResult> {
    const admission = admit(event, nowSeconds());
    if (admission.type === 'refused') {
      return { canHandle: false, message: admission.message };
    }
    const addr = admission.type === 'private' ? admission.recipient : admission.author;
    if (!(await this.handles.findByAddr(addr))) {
      return {
        canHandle: false,
        message:
          admission.type === 'private'
            ? `blocked: ${addr} is not a user of ${this.config.server}`
            : `blocked: only users of ${this.config.server} may publish their profile and relay lists here`,
      };
    }
    return { canHandle: true };
  }

  /** The engine calls this once per newly stored event; its own broadcast (no tag matching) is not used. */
  broadcast(event: Event): Promise<void> {
    this.metrics.eventAccepted();
    this.onAccepted(event, this.fanout.publish(event));
    return Promise.resolve();
  }

  /** A connection closed: its subscriptions end here and in the cluster's reader list. */
  disconnected(socket: object): void {
    const ctx = this.contexts.get(socket);
    this.contexts.delete(socket);
    if (ctx) {
      this.live.remove(ctx);
      this.fanout.syncReaders();
    }
  }

  private authenticate(ctx: ClientContext, event: Event, info: ConnectionInfo): HandleMessageResult {
    const problem = checkAuthEvent(event, ctx.id, info.relayUrls, nowSeconds());
    if (problem === undefined) {
      ctx.pubkey = event.pubkey;
    }
    ctx.sendMessage(['OK', event.id, problem === undefined, problem ?? '']);
    return { messageType: 'AUTH', success: problem === undefined };
  }

  private async refuseEvent(event: Event, info: ConnectionInfo): Promise<string | undefined> {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (size > MAX_EVENT_BYTES) {
      return `invalid: the event is ${size} bytes; this relay takes at most ${MAX_EVENT_BYTES}`;
    }
    return this.rateLimited(info.ip, event.pubkey);
  }

  /** One token from the client address's bucket and, when there is a key, from that key's (cluster-wide with NATS). */
  private async rateLimited(ip: string, pubkey: string | undefined): Promise<string | undefined> {
    const byIp = await this.rates.take(`relay:${clientKey(ip)}`, this.config.rateRelay);
    if (!byIp.allowed) {
      return `rate-limited: too many messages from this address; try again in ${byIp.retryAfterSeconds} s`;
    }
    if (pubkey !== undefined) {
      const byKey = await this.rates.take(`relay-key:${pubkey}`, this.config.rateRelayPubkey);
      if (!byKey.allowed) {
        return `rate-limited: too many messages for this key; try again in ${byKey.retryAfterSeconds} s`;
      }
    }
    return undefined;
  }
}
