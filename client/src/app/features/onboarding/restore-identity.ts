import { ChangeDetectionStrategy, Component, computed, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { Router } from '@angular/router';

import { isCryptoError, normalizePhrase, PHRASE_WORDS } from '@kez/crypto';
import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

import { Account } from '../../core/account';
import { Notifications } from '../../core/push/notifications';
import { focusAfterRender } from '../../shared/focus-after-render';
import { FocusOnInit } from '../../shared/focus-on-init';
import { NotificationOffer } from '../notifications/notification-offer';
import { PassphraseForm } from './passphrase-form';
import { REGISTER_STEP } from './register-step';

type Step = 'phrase' | 'protect';

const KNOWN_WORDS = new Set(wordlist);

/**
 * Brings an identity to this browser from its 24-word recovery phrase; its last click
 * opens the identity, so it also makes the first notifications offer.
 */
@Component({
  selector: 'kez-restore-identity',
  imports: [FocusOnInit, NotificationOffer, PassphraseForm],
  templateUrl: './restore-identity.html',
  styleUrls: ['./onboarding.css', './restore-identity.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreIdentity {
  private readonly account = inject(Account);
  private readonly router = inject(Router);
  private readonly notifications = inject(Notifications);
  private readonly injector = inject(Injector);
  /** The phrase field (on the first step only). */
  private readonly field = viewChild<ElementRef<HTMLTextAreaElement>>('field');

  protected readonly expected = PHRASE_WORDS;
  protected readonly step = signal<Step>('phrase');
  protected readonly phrase = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly progress = this.account.progress;
  protected readonly replacing = this.account.stage() === 'locked';
  protected readonly words = computed(() => {
    const text = this.phrase().trim();
    return text === '' ? [] : normalizePhrase(text).split(' ');
  });
  protected readonly unknown = computed(() => this.words().filter((word) => !KNOWN_WORDS.has(word)));

  protected next(event: Event): void {
    event.preventDefault();
    const count = this.words().length;
    const unknown = this.unknown();
    if (unknown.length > 0) {
      this.error.set(`Not in the word list: ${unknown.slice(0, 5).join(', ')}. Check the spelling.`);
    } else if (count !== PHRASE_WORDS) {
      this.error.set(`A recovery phrase has ${PHRASE_WORDS} words; this has ${count}.`);
    } else if (!validateMnemonic(this.words().join(' '), wordlist)) {
      // The last word carries a checksum of the others: caught here, before a passphrase is asked for.
      this.error.set('These words are not a valid recovery phrase: one is wrong or two are swapped. Check each word against your copy.');
    } else {
      this.error.set(null);
      this.step.set('protect');
      // A new step, not a new page: without this a phone stays scrolled down the long first step, past the new heading.
      globalThis.scrollTo?.({ top: 0 });
      return;
    }
    // Refused: the field takes the focus (Continue may have had it), described by the reason.
    focusAfterRender(() => this.field()?.nativeElement, this.injector);
  }

  protected async restore(passphrase: string): Promise<void> {
    // First, while the click's gesture is live: the browser's notification prompt needs it.
    this.notifications.askAtUnlock();
    this.error.set(null);
    try {
      await this.account.restore(this.phrase(), passphrase);
    } catch (error) {
      if (isCryptoError(error, 'invalid_phrase')) {
        this.error.set('These words are not a valid recovery phrase: one is wrong or out of order.');
        this.step.set('phrase');
      } else {
        this.error.set('Your identity could not be restored here. Check your connection and try again.');
      }
      return;
    }
    // Rarely, the restored identity has no handle yet: one more step than the two counted.
    await this.router.navigateByUrl(this.account.stage() === 'ready' ? '/chats' : '/register', { state: { [REGISTER_STEP]: 'One more step' } });
  }
}
