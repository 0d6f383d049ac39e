import { checkHandle, formatKez, type HandleRecord, splitKez } from '@kez/protocol';

import { failureText } from '../api/failure-text';
import type { HomeServer } from '../api/home-server';
import { exampleHandle } from '../identity/example-handle';
import { handleHint } from '../identity/handle-hint';
import type { Conversation } from './model';

/** Whoever is signed in on this browser. */
export interface Self {
  readonly primary: string;
  readonly handle: string;
  readonly server: string;
}

export type FindResult =
  | { readonly ok: true; readonly record: HandleRecord }
  | { readonly ok: false; readonly problem: 'empty' | 'invalid' | 'other_server' | 'self' | 'unknown' | 'failed'; readonly message: string };

/** What starting a chat gives: the conversation, or why there is none (the directory's problems). */
export type StartChatResult = { readonly ok: true; readonly conversation: Conversation } | Exclude<FindResult, { ok: true }>;

/**
 * Who is who on the home server: turns what someone typed ("bob", "bob@server") into
 * a registered key, and a key that wrote to us into a handle. Only this server's
 * users are reachable for now, so another server's KEZ is refused up front.
 */
export class PeerDirectory {
  private readonly handles = new Map<string, HandleRecord>();

  constructor(
    private readonly api: HomeServer,
    private readonly self: Self,
  ) {}

  /**
   * Finds "bob", "@bob", "bob@server" or "@bob@server" (the app writes contacts as
   * "@bob", so that form is accepted as typed or pasted).
   */
  async find(input: string): Promise<FindResult> {
    const { handle: typed, server } = splitKez(input.trim().replace(/^@/, ''));
    const here = this.self.server;
    if (typed.trim() === '') {
      const example = exampleHandle(this.self.handle);
      return { ok: false, problem: 'empty', message: `Type a handle such as “${example}” or a KEZ such as “${example}@${here}”.` };
    }
    if (server === '') {
      // "bob@" is a KEZ cut short, not a KEZ on a server called "".
      return {
        ok: false,
        problem: 'invalid',
        message: `“${typed.trim()}@” has no server after “@”. Type “${typed.trim()}” or “${typed.trim()}@${here}”.`,
      };
    }
    if (server !== undefined && server !== here) {
      return {
        ok: false,
        problem: 'other_server',
        message: `${typed.trim()}@${server} is on another server. For now you can chat with people on ${here} only.`,
      };
    }
    const check = checkHandle(typed);
    if (!check.ok && check.code === 'invalid_handle') {
      const hint = handleHint(typed);
      const why = hint.ok ? '' : (hint.message ?? '');
      return { ok: false, problem: 'invalid', message: `“${typed.trim()}” isn’t a handle. ${why}`.trim() };
    }
    const handle = check.ok ? check.handle : typed.trim().toLowerCase();
    if (handle === this.self.handle) {
      return {
        ok: false,
        problem: 'self',
        message: 'That’s you! To try KEZ chat, open a second browser, create another account there and message it.',
      };
    }
    let record: HandleRecord | null;
    try {
      // Reserved handles are never registered, so they simply come back unknown.
      record = check.ok ? await this.api.lookup(handle) : null;
    } catch (error) {
      return { ok: false, problem: 'failed', message: failureText(error, 'find') };
    }
    if (record === null || record.primary === this.self.primary) {
      return { ok: false, problem: 'unknown', message: `Nobody is called ${formatKez(handle, here)}. Check the spelling.` };
    }
    this.handles.set(record.primary, record);
    return { ok: true, record };
  }

  /**
   * The registered handle of a key, or null when it has none here. Rejects when the
   * server cannot be asked, so callers can try again later instead of caching "unknown".
   */
  async handleOf(primary: string): Promise<HandleRecord | null> {
    const known = this.handles.get(primary);
    if (known !== undefined) {
      return known;
    }
    const record = await this.api.byPrimary(primary);
    if (record !== null && record.primary === primary) {
      this.handles.set(primary, record);
      return record;
    }
    return null;
  }
}
