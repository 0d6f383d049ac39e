import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { Router } from '@angular/router';

import { formatKez } from '@kez/protocol';

import { Account } from '../../core/account';
import { isApiError } from '../../core/api/api-error';
import { failureText } from '../../core/api/failure-text';
import { handleHint } from '../../core/identity/handle-hint';
import { HOME_SERVER } from '../../core/platform';
import { Notifications } from '../../core/push/notifications';
import { focusAfterRender } from '../../shared/focus-after-render';
import { FocusOnInit } from '../../shared/focus-on-init';
import { NOTIFICATION_OFFER_ID, NotificationOffer } from '../notifications/notification-offer';
import { registerStepFrom } from './register-step';

/** Quiet time after the last keystroke before asking the server whether a handle is free. */
const LOOKUP_DELAY_MS = 300;

type Availability = 'unknown' | 'checking' | 'available' | 'taken' | 'error';

/**
 * Picks a handle: checked as it is typed, then asked about (debounced), then registered.
 * Register is the click that finishes creating an identity, so it also makes the first
 * notifications offer (subscribed once the handle exists).
 */
@Component({
  selector: 'kez-register-handle',
  imports: [FocusOnInit, NotificationOffer],
  templateUrl: './register-handle.html',
  styleUrls: ['./onboarding.css', './register-handle.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegisterHandle {
  private readonly account = inject(Account);
  private readonly api = inject(HOME_SERVER);
  private readonly router = inject(Router);
  private readonly notifications = inject(Notifications);
  private readonly injector = inject(Injector);
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

  /**
   * The step count the screen before promised ("Step 4 of 4" after the create steps),
   * passed in the navigation's state; kept by the browser's history across a reload.
   * None when the person arrives otherwise (an unlock of an unregistered identity).
   */
  protected readonly stepLabel = registerStepFrom(this.router.currentNavigation()?.extras.state ?? (history.state as unknown));
  protected readonly serverName = this.account.serverName;
  protected readonly offer = this.notifications.offerAtUnlock;
  protected readonly offerId = NOTIFICATION_OFFER_ID;
  protected readonly typed = signal('');
  protected readonly hint = computed(() => handleHint(this.typed()));
  /** What to fix in the handle as typed; null while it is fine or still empty. */
  protected readonly problem = computed(() => {
    const hint = this.hint();
    return hint.ok ? null : hint.message;
  });
  protected readonly availability = signal<{ handle: string; state: Availability }>({ handle: '', state: 'unknown' });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly preview = computed(() => {
    const hint = this.hint();
    const server = this.serverName();
    return hint.ok && server ? formatKez(hint.handle, server) : null;
  });
  /** What the server said about the handle now in the field (never a stale answer). */
  protected readonly state = computed<Availability>(() => {
    const hint = this.hint();
    const availability = this.availability();
    return hint.ok && availability.handle === hint.handle ? availability.state : 'unknown';
  });

  constructor() {
    let timer: ReturnType<typeof setTimeout> | undefined;
    effect(() => {
      const hint = this.hint();
      clearTimeout(timer);
      if (hint.ok) {
        timer = setTimeout(() => void this.lookUp(hint.handle), LOOKUP_DELAY_MS);
      }
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(timer));
  }

  protected async register(event: Event): Promise<void> {
    event.preventDefault();
    const hint = this.hint();
    if (!hint.ok || this.busy() || this.state() === 'taken') {
      return;
    }
    // First, while the click's gesture is live: the browser's notification prompt needs it.
    this.notifications.askAtUnlock();
    this.busy.set(true);
    this.error.set(null);
    // Enter pressed before the availability check answered: ask now, so a taken
    // handle shows one message (taken) rather than that and a refused registration.
    if (this.state() !== 'available' && this.state() !== 'error') {
      await this.lookUp(hint.handle);
      if (this.state() === 'taken') {
        this.busy.set(false);
        this.backToField();
        return;
      }
    }
    try {
      await this.account.register(hint.handle);
      await this.router.navigateByUrl('/chats');
    } catch (error) {
      if (isApiError(error, 'handle_taken')) {
        // Taken meanwhile: the field's own message says so, once.
        this.availability.set({ handle: hint.handle, state: 'taken' });
      } else {
        this.error.set(failureText(error, 'register'));
      }
      this.backToField();
    } finally {
      this.busy.set(false);
    }
  }

  /**
   * After a refused registration: the Register button was disabled meanwhile, which
   * took the focus. The handle field takes it, described by what went wrong.
   */
  private backToField(): void {
    focusAfterRender(() => this.field().nativeElement, this.injector, { select: true });
  }

  private async lookUp(handle: string): Promise<void> {
    this.availability.set({ handle, state: 'checking' });
    let state: Availability;
    try {
      state = (await this.api.lookup(handle)) === null ? 'available' : 'taken';
    } catch {
      state = 'error';
    }
    // A later keystroke may have asked about another handle meanwhile.
    if (this.availability().handle === handle) {
      this.availability.set({ handle, state });
    }
  }
}
