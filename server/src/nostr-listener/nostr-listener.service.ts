import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';

import { nowSeconds } from '@kez/crypto';

import { AppConfig } from '../config/app-config';
import { VapidKeys } from '../push/vapid-keys';
import { HandleStore } from '../registry/handle-store';
import { MAX_AGE_SECONDS, MAX_FUTURE_SECONDS } from './dm-event';
import { DmIntake } from './dm-intake';
import { NostrAuthKey } from './nostr-auth';
import { NostrMetrics } from './nostr-metrics';
import { NostrSeenStore } from './nostr-seen-store';
import { RelayConnection } from './relay-connection';

/** Registrations arriving together are folded into one re-subscription. */
const REGISTRATION_DEBOUNCE_MS = 200;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Keeps every configured relay subscribed to the DMs of every registered addr.
 * Every instance of a cluster listens (so losing one loses nothing); the intake
 * makes sure only one of them pushes each DM.
 */
@Injectable()
export class NostrListenerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NostrListener');
  private connections: RelayConnection[] = [];
  private addrs = new Set<string>();
  private registrations?: Subscription;
  private refreshTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private debounceTimer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly handles: HandleStore,
    private readonly intake: DmIntake,
    private readonly claims: NostrSeenStore,
    private readonly vapid: VapidKeys,
    metrics: NostrMetrics,
  ) {
    metrics.connectedRelays = () => this.connections.filter((connection) => connection.connected).length;
  }

  onApplicationBootstrap(): void {
    if (this.config.relays.length === 0) {
      this.logger.log('no relays configured (KEZ_CHAT_RELAYS is empty): nostr DMs will not trigger pushes');
      return;
    }
    const key = NostrAuthKey.fromVapid(this.vapid);
    this.connections = this.config.relays.map(
      (url) => new RelayConnection({ url, logger: this.logger, onEvent: (event) => this.intake.accept(event), signAuth: key.sign }),
    );
    this.logger.log(`listening on ${this.connections.length} relay(s) as nostr pubkey ${key.pubkey}`);
    this.registrations = this.handles.registrations.subscribe((row) => this.addRegistered(row.addr));
    this.refreshTimer = setInterval(() => void this.refresh(), this.config.nostrRefreshMs);
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.refreshTimer.unref();
    this.pruneTimer.unref();
    for (const connection of this.connections) {
      connection.start();
    }
    void this.refresh();
    void this.prune();
  }

  onModuleDestroy(): void {
    this.registrations?.unsubscribe();
    clearInterval(this.refreshTimer);
    clearInterval(this.pruneTimer);
    clearTimeout(this.debounceTimer);
    for (const connection of this.connections) {
      connection.stop();
    }
  }

  /** Picks up registrations made on other instances (and any removals). */
  private async refresh(): Promise<void> {
    try {
      this.addrs = new Set(await this.handles.listAddrs());
      this.publishAddrs();
    } catch (error) {
      this.logger.warn(`cannot read the registered addrs: ${String(error)}`);
    }
  }

  private addRegistered(addr: string): void {
    if (this.addrs.has(addr)) {
      return;
    }
    this.addrs.add(addr);
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => this.publishAddrs(), REGISTRATION_DEBOUNCE_MS);
  }

  private publishAddrs(): void {
    const sorted = [...this.addrs].sort();
    for (const connection of this.connections) {
      connection.setAddrs(sorted);
    }
  }

  /** Ids of events older than the acceptance window can never be accepted again; forget them. */
  private async prune(): Promise<void> {
    try {
      await this.claims.pruneCreatedBefore(nowSeconds() - MAX_AGE_SECONDS - MAX_FUTURE_SECONDS);
    } catch (error) {
      this.logger.warn(`cannot prune seen nostr ids: ${String(error)}`);
    }
  }
}
