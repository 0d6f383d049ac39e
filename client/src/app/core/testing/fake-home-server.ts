import { ERROR_STATUS, type ErrorCode, type HandleRecord, type InboxPage, type StoredMessage } from '@kez/protocol';

import { authString, checkAuth, type RegisterRequest, verifyEnvelope } from '@kez/crypto';

import { ApiError } from '../api/api-error';
import type { HomeServer, PostOptions } from '../api/home-server';
import type { ServerReport } from '../health';
import { FakeEventSource } from './fake-event-source';

// An in-memory home server for unit tests: the registry, inboxes with growing seqs,
// signed polls and streams that check their auth like the real one, and a switch
// that takes it "down". Not shipped: only specs import this folder.

export function failure(code: ErrorCode | 'network'): ApiError {
  return new ApiError(code, code === 'network' ? 0 : ERROR_STATUS[code], code);
}

export class FakeHomeServer implements HomeServer {
  readonly records = new Map<string, HandleRecord>();
  readonly inboxes = new Map<string, StoredMessage[]>();
  readonly sources: FakeEventSource[] = [];
  /** When set, every call fails with this, as if the server were unreachable or broken. */
  failWith: ErrorCode | 'network' | null = null;
  /** Errors the next posts answer with, one each, before posting works again. */
  readonly refuseNext: ApiError[] = [];
  /** Every accepted post: its recipient and whether it asked for Web Push. */
  readonly pushes: { to: string; push: boolean }[] = [];
  private seq = 0;

  constructor(
    readonly name = 'chat.test',
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** Registers without a signed request (test setup). */
  add(handle: string, primary: string, addr = '0'.repeat(64)): HandleRecord {
    const record = { handle, server: this.name, primary, addr, created_at: this.now() };
    this.records.set(handle, record);
    return record;
  }

  async lookup(kez: string): Promise<HandleRecord | null> {
    this.check();
    const [handle, server] = kez.split('@');
    return server !== undefined && server !== this.name ? null : (this.records.get(handle!) ?? null);
  }

  /** What `defaultRelays` answers. */
  relays: string[] = [];

  async defaultRelays(): Promise<string[]> {
    this.check();
    return [...this.relays];
  }

  async byPrimary(primary: string): Promise<HandleRecord | null> {
    this.check();
    return [...this.records.values()].find((record) => record.primary === primary) ?? null;
  }

  async register(request: RegisterRequest): Promise<HandleRecord> {
    this.check();
    const { payload } = request;
    if (!verifyEnvelope(request)) {
      throw failure('bad_signature');
    }
    if (payload.server !== this.name) {
      throw failure('wrong_server');
    }
    if (this.records.has(payload.handle)) {
      throw failure('handle_taken');
    }
    if ([...this.records.values()].some((record) => record.primary === payload.primary)) {
      throw failure('primary_taken');
    }
    const record = { handle: payload.handle, server: this.name, primary: payload.primary, addr: payload.addr, created_at: payload.created_at };
    this.records.set(payload.handle, record);
    return record;
  }

  /** Posts as the real server would; `pushes` records, per post, whether it may wake a device. */
  async postMessage(to: string, envelope: object, options: PostOptions = {}): Promise<{ seq: number; created_at: number }> {
    this.check();
    if (this.refuseNext.length > 0) {
      throw this.refuseNext.shift()!;
    }
    this.pushes.push({ to, push: options.push !== false });
    if (!this.records.has(to)) {
      throw failure('not_found');
    }
    const stored: StoredMessage = { seq: ++this.seq, envelope: envelope as Record<string, unknown>, created_at: this.now() };
    this.inboxes.set(to, [...(this.inboxes.get(to) ?? []), stored]);
    for (const source of this.openSourcesOf(to)) {
      source.fireMessage(JSON.stringify(stored));
    }
    return { seq: stored.seq, created_at: stored.created_at };
  }

  async inbox(handle: string, since: number, auth: string): Promise<InboxPage> {
    this.check();
    this.verify(auth, (ts) => authString.pollInbox(handle, String(since), ts), handle);
    const messages = this.storedAfter(handle, since);
    return { messages, next: messages.at(-1)?.seq ?? since };
  }

  /** A healthy server, unless a test sets `report`. */
  report: ServerReport = { health: 'ok', server: 'fake', version: '0.0.0', failedChecks: [] };

  async health(): Promise<ServerReport> {
    return this.report;
  }

  streamUrl(handle: string, since: number, auth: string): string {
    return `fake:/v1/inbox/${handle}/stream?auth=${auth}&since=${since}`;
  }

  /** The EventSourceFactory for streams of this server; sources open on the next tick. */
  readonly connect = (url: string): FakeEventSource => {
    const source = new FakeEventSource(url);
    this.sources.push(source);
    queueMicrotask(() => this.answer(source));
    return source;
  };

  /** Takes the server down: every open stream errors, every call fails. */
  goDown(): void {
    this.failWith = 'network';
    for (const source of this.sources.filter((candidate) => !candidate.closed)) {
      source.fireError();
    }
  }

  goUp(): void {
    this.failWith = null;
  }

  private answer(source: FakeEventSource): void {
    if (source.closed) {
      return;
    }
    const stream = /^fake:\/v1\/inbox\/([^/]+)\/stream\?auth=([^&]+)&since=(\d+)$/.exec(source.url);
    if (this.failWith !== null || stream === null) {
      source.fireError();
      return;
    }
    const [, handle, auth, since] = stream as unknown as [string, string, string, string];
    try {
      this.verify(auth, (ts) => authString.openStream(handle, since, ts), handle);
    } catch {
      source.fireError();
      return;
    }
    source.fireOpen();
    for (const stored of this.storedAfter(handle, Number(since))) {
      source.fireMessage(JSON.stringify(stored));
    }
  }

  private openSourcesOf(handle: string): FakeEventSource[] {
    return this.sources.filter((source) => !source.closed && source.url.startsWith(`fake:/v1/inbox/${handle}/stream?`));
  }

  private storedAfter(handle: string, since: number): StoredMessage[] {
    return (this.inboxes.get(handle) ?? []).filter((stored) => stored.seq > since);
  }

  private verify(auth: string, row: (ts: number) => string, handle: string): void {
    const record = this.records.get(handle);
    const verdict = record ? checkAuth(auth, row, record.primary, this.now()) : 'unauthorized';
    if (verdict !== 'ok') {
      throw failure(verdict);
    }
  }

  private check(): void {
    if (this.failWith !== null) {
      throw failure(this.failWith);
    }
  }
}
