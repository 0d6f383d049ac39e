import type { IncomingMessage as HttpRequest, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger as EngineLogger, IncomingMessage } from '@nostr-relay/common';
import { NostrRelay } from '@nostr-relay/core';
import { WebSocket, WebSocketServer } from 'ws';

import { AppConfig } from '../config/app-config';
import { ClientIpResolver } from '../rate-limit/client-ip';
import { MAX_EVENT_BYTES } from './inbox-policy';
import { MalformedMessage, parseClientMessage } from './message-shape';
import { rawText } from './raw-text';
import { RELAY_PATH, relayUrlsFor } from './relay-auth';
import { RelayEventStore } from './relay-event-store';
import { LiveSubscriptions } from './live-subscriptions';
import { RelayMetrics } from './relay-metrics';
import { RelayPolicy } from './relay-policy';
import { RelayWake } from './relay-wake';

/** Largest WebSocket frame read: twice the largest event, so an oversized event still gets its `OK false` before the socket would be closed (1009). */
export const MAX_FRAME_BYTES = 2 * MAX_EVENT_BYTES;
/** Subscriptions one connection may hold; the oldest is dropped beyond it. */
export const MAX_SUBSCRIPTIONS = 20;
/** A ping this often; a connection that did not answer the previous one is closed. */
const PING_INTERVAL_MS = 30_000;

/**
 * The inbox relay's WebSocket endpoint at `/relay` on the server's own port:
 * takes the HTTP upgrade from Node's server (Fastify never sees it), runs each
 * connection through @nostr-relay/core with the inbox rules (RelayPolicy) and
 * the database repository, pings idle connections, and closes them all at
 * shutdown. Other upgrade paths are refused.
 */
@Injectable()
export class RelayGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly relay: NostrRelay;
  private readonly alive = new WeakSet<WebSocket>();
  private pingTimer?: NodeJS.Timeout;
  private server?: Server;
  private readonly onUpgrade = (request: HttpRequest, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head);

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly clientIp: ClientIpResolver,
    private readonly policy: RelayPolicy,
    store: RelayEventStore,
    wake: RelayWake,
    metrics: RelayMetrics,
    live: LiveSubscriptions,
  ) {
    metrics.live = () => ({ connections: this.wss.clients.size, subscriptions: live.counts().subscriptions });
    policy.onAccepted = (event, recipientTook) => wake.accepted(event, recipientTook);
    this.relay = new NostrRelay(store, {
      // Any hostname turns on the engine's NIP-42 challenge; the AUTH check itself is RelayPolicy's.
      hostname: config.server,
      logger: engineLogger(this.logger),
      maxSubscriptionsPerClient: MAX_SUBSCRIPTIONS,
      // No result caches: a stored or deleted event must show at the next REQ, and a refusal must not outlive a registration.
      filterResultCacheTtl: 0,
      eventHandlingResultCacheTtl: 0,
    });
    this.relay.register(policy);
  }

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pingTimer.unref();
    const [url] = relayUrlsFor(this.config.publicUrl, undefined);
    this.logger.log(
      url
        ? `inbox relay at ${url}`
        : `inbox relay at ${RELAY_PATH}, its URL taken from each request's Host (set KEZ_CHAT_PUBLIC_URL when serving behind a proxy)`,
    );
  }

  /** Before the HTTP server closes: relay clients get a clean 1001 and reconnect elsewhere. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pingTimer);
    this.server?.off('upgrade', this.onUpgrade);
    for (const socket of this.wss.clients) {
      socket.close(1001, 'server shutting down');
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.relay.destroy();
  }

  private upgrade(request: HttpRequest, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== RELAY_PATH && path !== `${RELAY_PATH}/`) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.connected(ws, request));
  }

  private connected(ws: WebSocket, request: HttpRequest): void {
    const ip = this.clientIp.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    this.policy.connections.set(ws, { ip, relayUrls: relayUrlsFor(this.config.publicUrl, request.headers.host) });
    this.alive.add(ws);
    this.relay.handleConnection(ws, ip);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(JSON.stringify(['NOTICE', 'invalid: messages are JSON text frames']));
        return;
      }
      void this.handle(ws, rawText(data));
    });
    ws.on('close', () => {
      this.policy.disconnected(ws);
      this.relay.handleDisconnect(ws);
    });
    ws.on('error', (error) => this.logger.debug(`relay connection error: ${error.message}`));
  }

  private async handle(ws: WebSocket, text: string): Promise<void> {
    let message: IncomingMessage | undefined;
    try {
      message = parseClientMessage(text);
      await this.relay.handleMessage(ws, message);
    } catch (error) {
      if (error instanceof MalformedMessage) {
        const reply = error.eventId
          ? ['OK', error.eventId, false, error.message]
          : error.subscriptionId
            ? ['CLOSED', error.subscriptionId, error.message]
            : ['NOTICE', error.message];
        ws.send(JSON.stringify(reply));
        return;
      }
      // E.g. the registry lookup failed: answer what the client waits for, without the cause.
      this.logger.error(`relay message failed: ${String(error)}`);
      const failed = 'error: the server could not handle this now; try again';
      ws.send(
        JSON.stringify(
          message?.[0] === 'EVENT' || message?.[0] === 'AUTH'
            ? ['OK', message[1].id, false, failed]
            : message?.[0] === 'REQ'
              ? ['CLOSED', message[1], failed]
              : ['NOTICE', failed],
        ),
      );
    }
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

/** The engine's log lines through Nest's logger. */
function engineLogger(logger: Logger): EngineLogger {
  return {
    setLogLevel: () => undefined,
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.log(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string) => logger.error(message),
  };
}
