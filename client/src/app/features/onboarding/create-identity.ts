import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { Router } from '@angular/router';

import { generateSeed, seedToPhrase } from '@kez/crypto';

import { Account } from '../../core/account';
import { pickPositions, wordMatches } from '../../core/identity/recovery-check';
import { FocusOnInit } from '../../shared/focus-on-init';
import { PassphraseForm } from './passphrase-form';

type Step = 'phrase' | 'check' | 'protect';

/** How many words the person types back before going on. */
const WORDS_TO_CHECK = 3;

/** A new identity: see the recovery phrase, prove it was written down, protect it with a passphrase. */
@Component({
  selector: 'kez-create-identity',
  imports: [FocusOnInit, PassphraseForm],
  templateUrl: './create-identity.html',
  styleUrls: ['./onboarding.css', './create-identity.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateIdentity {
  private readonly account = inject(Account);
  private readonly router = inject(Router);
  private readonly seed = generateSeed();

  protected readonly words = seedToPhrase(this.seed).split(' ');
  protected readonly step = signal<Step>('phrase');
  protected readonly positions = pickPositions(WORDS_TO_CHECK, this.words.length);
  protected readonly answers = signal<readonly string[]>(this.positions.map(() => ''));
  protected readonly wrong = signal<readonly number[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly progress = this.account.progress;
  /** Creating here replaces the identity this browser already holds. */
  protected readonly replacing = this.account.stage() === 'locked';
  protected readonly wrongText = computed(() => {
    const numbers = this.wrong().map((position) => `#${position + 1}`);
    return numbers.length === 0 ? null : `Word ${numbers.join(', ')} ${numbers.length === 1 ? 'doesn’t' : 'don’t'} match. Check your list.`;
  });

  constructor() {
    // The seed lives only as long as this screen; the wrapped copy is what stays.
    inject(DestroyRef).onDestroy(() => this.seed.fill(0));
  }

  protected answer(index: number, value: string): void {
    this.answers.update((answers) => answers.map((existing, i) => (i === index ? value : existing)));
  }

  protected check(event: Event): void {
    event.preventDefault();
    const answers = this.answers();
    this.wrong.set(this.positions.filter((position, i) => !wordMatches(this.words, position, answers[i] ?? '')));
    if (this.wrong().length === 0) {
      this.step.set('protect');
    }
  }

  protected back(): void {
    this.wrong.set([]);
    this.step.set('phrase');
  }

  protected async protect(passphrase: string): Promise<void> {
    this.error.set(null);
    try {
      // A copy: the account wipes what it is given, and this screen may still be needed on failure.
      await this.account.create(this.seed.slice(), passphrase);
      await this.router.navigateByUrl('/register');
    } catch {
      this.error.set('Your identity could not be saved in this browser. Check that it allows site storage, then try again.');
    }
  }
}
