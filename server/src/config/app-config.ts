import type { LogLevel } from '@nestjs/common';

export type LogFormat = 'text' | 'json';

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** A token bucket: `capacity` tokens, refilled continuously at `perSecond`. */
export interface RateConfig {
  capacity: number;
  perSecond: number;
}

/** An address range such as `10.0.0.0/8` or `fd00::/8`. */
export interface CidrConfig {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Every setting of a running instance, parsed and validated once at start. */
export class AppConfig {
  /** Address the HTTP server listens on. */
  readonly bind!: { host: string; port: number };
  /** The server's name: the part after `@` in every KEZ this server hosts. */
  readonly server!: string;
  readonly db!: DatabaseConfig;
  /** How many times to try reaching the database at start, 2 s apart, before giving up. */
  readonly dbConnectAttempts!: number;
  /** Folder with the built web client; served at `/`. */
  readonly webDir!: string;
  readonly logLevel!: LogLevel;
  /** `text`: Nest's readable lines; `json`: one JSON object per line with the request id. */
  readonly logFormat!: LogFormat;
  /** The VAPID key file (PEM, PKCS#8); empty means `vapid.pem` next to the SQLite file (or in `data/`). */
  readonly vapidKeyPath!: string;
  /** The VAPID `sub` claim; empty means `mailto:admin@<server>`. */
  readonly vapidSubject!: string;
  /** Refuse to start with a VAPID subject push services reject (else: a warning at start). */
  readonly vapidStrict!: boolean;
  /** Accept `http:` and non-public push endpoints (tests only: it allows server-side request forgery). */
  readonly pushAllowInsecure!: boolean;
  /** Push subscriptions kept per handle; subscribing beyond it drops the least recently subscribed. */
  readonly pushMaxSubscriptions!: number;
  /** How long a push service keeps an undelivered push (the `TTL` header), in ms. */
  readonly pushTtlMs!: number;
  /** Deadline of one push request, in ms. */
  readonly pushTimeoutMs!: number;
  /** Nostr relays the listener subscribes to; empty disables it. */
  readonly relays!: readonly string[];
  /** How often the listener re-reads the registered addrs (registrations on other instances), in ms. */
  readonly nostrRefreshMs!: number;
  /** `POST /v1/messages` per client IP. */
  readonly rateMessages!: RateConfig;
  /** `POST /v1/register` per client IP. */
  readonly rateRegister!: RateConfig;
  /** Proxies whose `X-Forwarded-For` is believed; empty trusts nobody. */
  readonly trustProxy!: readonly CidrConfig[];
  /** NATS servers; empty runs without NATS (in-process broker, per-instance rate limits). */
  readonly natsUrls!: readonly string[];
  /** This process's name in NATS and metrics: `KEZ_CHAT_INSTANCE_ID`, or random per start. */
  readonly instanceId!: string;
  /** Longest silence on an open stream before a keep-alive comment, in ms (at most 15 s, the contract's bound). */
  readonly streamKeepaliveMs!: number;
  /** Bytes a stream may leave unsent before it is closed as too far behind (its client resumes with `since`). */
  readonly streamMaxQueueBytes!: number;
  /** Messages older than this are deleted, in ms. */
  readonly retentionMs!: number;
  /** How often the retention sweep runs, in ms. */
  readonly retentionSweepMs!: number;
  /** Public origin (`https://chat.example.org`), no trailing slash; empty: taken from each request's `Host`. */
  readonly publicUrl!: string;
  /** Relay `EVENT`, `REQ` and `AUTH` messages per client IP. */
  readonly rateRelay!: RateConfig;
  /** Relay `EVENT`s per author key and `REQ`s per authenticated key. */
  readonly rateRelayPubkey!: RateConfig;
}
