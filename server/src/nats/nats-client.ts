import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { connect, Events, type NatsConnection } from 'nats';

import { settleWithin } from '../common/time/settle-within';
import { AppConfig } from '../config/app-config';

/** Spacing of connection attempts while NATS is away, at start and after a loss. */
const RECONNECT_WAIT_MS = 1_000;
/** Longest wait at shutdown for what was handed to the client to reach NATS. */
const SHUTDOWN_DRAIN_MS = 2_000;

export type NatsSetup = (nc: NatsConnection) => void | Promise<void>;

/**
 * This instance's one NATS connection, shared by the broker, the rate-limit
 * store and ops. It never blocks start-up: with NATS down the instance serves
 * (readiness says `nats: down`) and connects whenever NATS comes, then the
 * client reconnects by itself forever and restores every subscription.
 *
 * `noEcho`: what this instance publishes never comes back to it. The broker
 * delivers to its own streams directly (which also works while NATS is away)
 * and asks NATS only about the other instances.
 */
@Injectable()
export class NatsClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private readonly setups: NatsSetup[] = [];
  private readonly reconnectHooks: NatsSetup[] = [];
  private nc?: NatsConnection;
  private up = false;
  private closing = false;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.natsUrls.length > 0;
  }

  /** What `/connz` shows for this instance: `kez-chat/<server>/<instance id>`. */
  get connectionName(): string {
    return `kez-chat/${this.config.server}/${this.config.instanceId}`;
  }

  /**
   * The connection while it is up. Undefined when NATS is off, not reached yet
   * or reconnecting, so callers take their NATS-less path at once instead of
   * queueing behind a reconnect that may take minutes.
   */
  get connection(): NatsConnection | undefined {
    return this.up ? this.nc : undefined;
  }

  /**
   * Runs `setup` with the connection as soon as it exists (at once if it does).
   * It runs once: subscriptions and services made there survive reconnects.
   */
  whenConnected(setup: NatsSetup): void {
    this.setups.push(setup);
    if (this.nc) {
      this.runSetup(setup, this.nc);
    }
  }

  /**
   * Runs `hook` after every reconnect (not the first connect): for state the NATS
   * server lost with the connection, such as what other instances were told.
   */
  whenReconnected(hook: NatsSetup): void {
    this.reconnectHooks.push(hook);
  }

  /** Readiness: connected and the server answers a round trip. */
  async probe(): Promise<boolean> {
    const nc = this.connection;
    if (!nc) {
      return false;
    }
    await nc.flush();
    return true;
  }

  onModuleInit(): void {
    if (this.enabled) {
      this.connect().catch((error: unknown) => this.logger.error(`NATS connection gave up: ${String(error)}`));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const nc = this.nc;
    this.up = false;
    if (nc && !nc.isClosed()) {
      // Drain lets replies and publishes already handed to the client go out;
      // with NATS away it could wait for a reconnect, so it gets a deadline.
      await settleWithin(nc.drain(), SHUTDOWN_DRAIN_MS, undefined);
      if (!nc.isClosed()) {
        await nc.close();
      }
    }
  }

  private async connect(): Promise<void> {
    this.logger.log(`connecting to NATS at ${this.config.natsUrls.join(', ')} as ${this.connectionName}`);
    const nc = await connect({
      servers: [...this.config.natsUrls],
      name: this.connectionName,
      // Keep trying at start too, instead of failing the first attempt.
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: RECONNECT_WAIT_MS,
      noEcho: true,
    });
    if (this.closing) {
      // Shut down while still dialling: the attempt that finally worked is not wanted.
      await nc.close();
      return;
    }
    this.nc = nc;
    this.up = true;
    this.logger.log(`connected to NATS ${nc.getServer()}`);
    void this.followStatus(nc);
    for (const setup of this.setups) {
      this.runSetup(setup, nc);
    }
  }

  private async followStatus(nc: NatsConnection): Promise<void> {
    void nc.closed().then(() => (this.up = false));
    for await (const status of nc.status()) {
      // Both events carry the server's address as their data.
      if (status.type === Events.Disconnect) {
        this.up = false;
        this.logger.warn(`lost NATS ${status.data as string}; reconnecting`);
      } else if (status.type === Events.Reconnect) {
        this.up = true;
        this.logger.log(`reconnected to NATS ${status.data as string}`);
        this.reconnectHooks.forEach((hook) => this.runSetup(hook, nc));
      }
    }
  }

  private runSetup(setup: NatsSetup, nc: NatsConnection): void {
    Promise.resolve()
      .then(() => setup(nc))
      .catch((error: unknown) => this.logger.error(`NATS setup failed: ${String(error)}`));
  }
}
