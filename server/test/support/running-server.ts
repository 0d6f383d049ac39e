/**
 * A KEZ chat server a test talks to over real sockets, whichever way it runs: in
 * the Jest process (in-process-server.ts) or as its own process (server-process.ts).
 * Suites that only need these members do not care which one they got.
 */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Everything the server wrote to stdout and stderr so far, for assertions on logs. */
  output(): string;
  /** Stops the server and waits until it has let go of its port, streams and database. */
  stop(): Promise<unknown>;
}
