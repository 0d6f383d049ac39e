import type { LogLevel } from '@nestjs/common';

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

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
}
