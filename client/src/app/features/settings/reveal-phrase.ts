import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';

import { isSeedWrapError } from '@kez/crypto';

import { Account } from '../../core/account';
import { focusAfterRender } from '../../shared/focus-after-render';
import { FocusOnInit } from '../../shared/focus-on-init';

/**
 * "Reveal recovery phrase": asks for the passphrase again (someone at an unlocked
 * device is not necessarily its owner), then shows the 24 words until hidden. The
 * words live only in this component's memory; nothing logs or stores them. Focus
 * follows what replaces the control that had it: the words, then the passphrase field.
 */
@Component({
  selector: 'kez-reveal-phrase',
  imports: [FocusOnInit],
  template: `
    @if (words(); as list) {
      <p class="notice">Anyone with these 24 words has your identity. Write them down and keep them somewhere safe.</p>
      <ol class="phrase" aria-label="Recovery phrase" tabindex="-1" kezFocusOnInit>
        @for (word of list; track $index) {
          <li>{{ word }}</li>
        }
      </ol>
      <button type="button" class="button button--secondary hide" (click)="hide()">Hide the words</button>
    } @else {
      <p class="field__hint">The 24 words that bring your identity back on a new device. Type your passphrase to see them.</p>
      <form class="reveal" (submit)="reveal($event)" novalidate>
        <div class="field">
          <label class="field__label" for="reveal-passphrase">Passphrase</label>
          <input
            #field
            id="reveal-passphrase"
            class="input"
            type="password"
            autocomplete="current-password"
            [value]="passphrase()"
            (input)="passphrase.set($any($event.target).value)"
            [attr.aria-invalid]="error() ? 'true' : null"
            [attr.aria-describedby]="error() ? 'reveal-error' : null"
          />
          @if (error(); as message) {
            <p id="reveal-error" class="field__error" role="alert">{{ message }}</p>
          }
        </div>
        <button type="submit" class="button" [disabled]="busy()">{{ busy() ? 'Checking…' : 'Reveal recovery phrase' }}</button>
      </form>
    }
  `,
  host: { class: 'setting-body' },
  styles: `
    :host {
      justify-items: stretch;
    }
    .reveal {
      display: grid;
      gap: var(--space-3);
      justify-items: start;
    }
    .reveal .field {
      width: min(100%, 24rem);
    }
    .hide {
      justify-self: start;
    }
    .phrase:focus {
      outline: none;
    }
    .phrase {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr));
      gap: var(--space-1) var(--space-4);
      margin: 0;
      padding-inline-start: 2rem;
      font-family: var(--font-mono);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RevealPhrase {
  private readonly account = inject(Account);
  private readonly injector = inject(Injector);
  private readonly field = viewChild<ElementRef<HTMLInputElement>>('field');
  protected readonly passphrase = signal('');
  protected readonly words = signal<string[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected async reveal(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) {
      return;
    }
    if (this.passphrase() === '') {
      this.error.set('Type your passphrase.');
      focusAfterRender(() => this.field()?.nativeElement, this.injector);
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      this.words.set(await this.account.revealPhrase(this.passphrase()));
      this.passphrase.set('');
    } catch (error) {
      this.error.set(
        isSeedWrapError(error, 'wrong_passphrase')
          ? 'That passphrase doesn’t unlock this identity. Check caps lock and try again.'
          : 'The phrase could not be read. Try again.',
      );
      // The button that had the focus was disabled meanwhile: the field takes it, ready to retype.
      focusAfterRender(() => this.field()?.nativeElement, this.injector, { select: true });
    } finally {
      this.busy.set(false);
    }
  }

  protected hide(): void {
    this.words.set(null);
    focusAfterRender(() => this.field()?.nativeElement, this.injector);
  }
}
