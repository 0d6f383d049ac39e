import { computed, inject, Injectable, signal } from '@angular/core';

import { formatKez } from '@kez/protocol';

import { errorReason } from './error-reason';
import { AccountVault } from './identity/account-vault';
import { KeptSession } from './identity/kept-session';
import { type PasskeyMode, PasskeyVault } from './identity/passkey';
import type { Session, SessionState } from './identity/session';
import { HOME_SERVER, STORE } from './platform';
import { ServerStatus } from './server-status';

/**
 * Where a person stands, which decides the screen they may see:
 * no identity yet, locked, unlocked without a handle, or ready to chat.
 */
export type Stage = 'loading' | 'none' | 'locked' | 'unregistered' | 'ready';

export function stageOf(state: SessionState): Stage {
  switch (state.kind) {
    case 'loading':
    case 'none':
    case 'locked':
      return state.kind;
    case 'unlocked':
      return state.account.handle === null ? 'unregistered' : 'ready';
  }
}

/** What the screen says when `Account.lock` rejected: still unlocked, and why. */
export function lockFailure(error: unknown): string {
  const reason = errorReason(error);
  return `Not locked: this device could not stop keeping you unlocked${reason === null ? '' : ` (${reason})`}. Try again.`;
}

/**
 * What the screen says when "Keep me unlocked on this device" could not be turned on
 * (the browser refused to store the kept session): the identity is open all the same,
 * and the next start asks for the passphrase.
 */
export function keepFailure(error: unknown): string {
  const reason = errorReason(error);
  return `This device could not be kept unlocked${reason === null ? '' : ` (${reason})`}: KEZ chat will ask for your passphrase the next time it starts.`;
}

/** What the screen says when a kept session could not be ended: it still opens without the passphrase. */
export function endKeepFailure(error: unknown): string {
  const reason = errorReason(error);
  return `The kept session could not be ended${reason === null ? '' : ` (${reason})`}: KEZ chat still opens here without your passphrase. Try again.`;
}

/** The identity in this browser, as signals: a thin shell over the framework-free Session. */
@Injectable({ providedIn: 'root' })
export class Account {
  private readonly server = inject(ServerStatus);
  private readonly stateSignal = signal<SessionState>({ kind: 'loading' });
  private readonly progressSignal = signal<number | null>(null);
  private readonly session: Promise<Session>;
  private readonly kept: Promise<KeptSession>;
  /** Null until the kept session has been read at start. */
  private readonly keptSignal = signal<boolean | null>(null);
  private readonly passkeys: Promise<PasskeyVault>;
  private readonly passkeySignal = signal<PasskeyMode | null>(null);

  readonly state = this.stateSignal.asReadonly();
  readonly stage = computed(() => stageOf(this.stateSignal()));
  /** 0..1 while the passphrase key is being derived, else null. */
  readonly progress = this.progressSignal.asReadonly();
  readonly profile = computed(() => {
    const state = this.stateSignal();
    return state.kind === 'locked' || state.kind === 'unlocked' ? state.account : null;
  });
  readonly identity = computed(() => {
    const state = this.stateSignal();
    return state.kind === 'unlocked' ? state.identity : null;
  });
  /** `handle@server` once registered. */
  readonly kez = computed(() => {
    const profile = this.profile();
    return profile?.handle && profile.server ? formatKez(profile.handle, profile.server) : null;
  });
  /** The home server's configured name (from /v1/healthz), null until it answers. */
  readonly serverName = this.server.serverName;
  /** "Keep me unlocked on this device" is on; null until it has been read (by the time `ready` resolves). */
  readonly keptUnlocked = this.keptSignal.asReadonly();
  /** The passkey set up for this identity on this device (`prf` or `gate`), or null. */
  readonly passkey = this.passkeySignal.asReadonly();
  /**
   * Resolves once the stored identity (if any) has been read, unlocked when a kept
   * session allows, and whether a session is kept here is known.
   */
  readonly ready: Promise<void>;

  constructor() {
    const api = inject(HOME_SERVER);
    // The crypto behind the session loads with it, after the first screen has painted.
    this.session = Promise.all([inject(STORE), import('./identity/session')]).then(([store, { Session }]) => {
      const session = new Session(new AccountVault(store), api, {
        onProgress: (fraction) => this.progressSignal.set(fraction),
      });
      session.subscribe((state) => this.stateSignal.set(state));
      return session;
    });
    this.kept = inject(STORE).then((store) => new KeptSession(store));
    this.passkeys = inject(STORE).then((store) => new PasskeyVault(store));
    // An installed app may stay open for weeks: coming back to it counts as a use.
    globalThis.document?.addEventListener('visibilitychange', () => {
      const identity = this.identity();
      if (document.visibilityState === 'visible' && identity !== null) {
        void this.kept.then((kept) => kept.touch(identity.primary)).catch(() => undefined);
      }
    });
    this.ready = this.session
      .then(
        (session) => session.load().then(() => this.resumeKept(session)),
        // No IndexedDB (a locked-down browser): nothing is stored, and creating an
        // identity will say that it cannot be saved.
        () => this.stateSignal.set({ kind: 'none' }),
      )
      .finally(() => this.readKept());
  }

  create(seed: Uint8Array, passphrase: string): Promise<void> {
    return this.withProgress((session) => session.create(seed, passphrase));
  }

  restore(phrase: string, passphrase: string): Promise<void> {
    return this.withProgress((session) => session.restore(phrase, passphrase, this.requireServerName()));
  }

  unlock(passphrase: string): Promise<void> {
    return this.withProgress((session) => session.unlock(passphrase));
  }

  /** The 24 words, after the passphrase is typed again (SeedWrapError `wrong_passphrase` otherwise). Never logged. */
  async revealPhrase(passphrase: string): Promise<string[]> {
    let phrase = '';
    await this.withProgress(async (session) => {
      phrase = await session.revealPhrase(passphrase);
    });
    return phrase.split(' ');
  }

  /** Creates a passkey for the unlocked identity (WebAuthn); resolves with its mode. Throws PasskeyError. */
  async registerPasskey(): Promise<PasskeyMode> {
    const identity = this.identity();
    if (identity === null) {
      throw new Error('the identity is locked');
    }
    const mode = await (
      await this.passkeys
    ).register({
      seed: identity.seed,
      edPublic: identity.edPublic,
      primary: identity.primary,
      label: this.kez() ?? identity.primary,
    });
    this.passkeySignal.set(mode);
    return mode;
  }

  /** Opens the locked identity with a seed another tab of this browser handed over (see core/tabs). Wipes `seed`. */
  async unlockWithSeed(seed: Uint8Array): Promise<void> {
    const session = await this.session;
    if (session.state.kind === 'locked') {
      session.unlockWithSeed(seed);
    } else {
      seed.fill(0);
    }
  }

  /** Opens the locked identity with its passkey. Throws PasskeyError. */
  async unlockWithPasskey(): Promise<void> {
    const session = await this.session;
    const state = session.state;
    if (state.kind !== 'locked') {
      return;
    }
    const seed = await (await this.passkeys).unlock(state.account.primary, rawPublicKey(state.account.primary));
    session.unlockWithSeed(seed);
  }

  async removePasskey(): Promise<void> {
    await (await this.passkeys).remove();
    this.passkeySignal.set(null);
  }

  /** Turns "keep me unlocked on this device" on (for the unlocked identity) or off. */
  async keepUnlocked(on: boolean): Promise<void> {
    const kept = await this.kept;
    const identity = this.identity();
    if (on && identity !== null) {
      await kept.keep(identity.seed, identity.primary);
    } else {
      await kept.end();
    }
    this.keptSignal.set(await kept.active());
  }

  /**
   * Ends a kept session, then locks: the next start asks again. When the kept session
   * cannot be ended (storage refused), nothing is locked and this rejects: a lock that
   * the next start would undo without the passphrase must not look done.
   */
  async lock(): Promise<void> {
    const kept = await this.kept;
    if (await kept.active()) {
      await kept.end();
    }
    this.keptSignal.set(false);
    (await this.session).lock();
  }

  async register(handle: string): Promise<string> {
    return (await this.session).register(handle, this.requireServerName());
  }

  async forget(): Promise<void> {
    await (await this.session).forget();
    this.keptSignal.set(false);
    this.passkeySignal.set(null);
  }

  /** At start: a kept session opens the identity without the passphrase. Failures leave it locked. */
  private async resumeKept(session: Session): Promise<void> {
    const state = session.state;
    if (state.kind !== 'locked') {
      return;
    }
    this.passkeySignal.set(await (await this.passkeys).mode(state.account.primary).catch(() => null));
    try {
      const kept = await this.kept;
      const seed = await kept.restore(state.account.primary);
      if (seed !== null) {
        session.unlockWithSeed(seed);
      }
    } catch {
      // The passphrase still opens it.
    }
  }

  /** At start, whatever the stage: whether a session is kept here. One that cannot be read is not kept (it cannot open anything). */
  private async readKept(): Promise<void> {
    const active = await this.kept.then((kept) => kept.active()).catch(() => false);
    // A change made meanwhile (Lock, forget, the switch) is newer than this read.
    if (this.keptSignal() === null) {
      this.keptSignal.set(active);
    }
  }

  private requireServerName(): string {
    const name = this.server.serverName();
    if (name === null) {
      throw new Error('the home server has not told its name yet');
    }
    return name;
  }

  private async withProgress(work: (session: Session) => Promise<void>): Promise<void> {
    this.progressSignal.set(0);
    try {
      await work(await this.session);
    } finally {
      this.progressSignal.set(null);
    }
  }
}

/** The 32 raw bytes of an `ed25519:<64 hex>` primary (WebAuthn's user.id), without loading the crypto library. */
function rawPublicKey(primary: string): Uint8Array {
  const hex = primary.slice(primary.indexOf(':') + 1);
  return Uint8Array.from({ length: hex.length / 2 }, (_, index) => parseInt(hex.slice(index * 2, index * 2 + 2), 16));
}
