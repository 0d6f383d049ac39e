import { ChangeDetectionStrategy, Component, computed, ElementRef, input, output, signal, viewChild } from '@angular/core';

import { MAX_MESSAGE_LENGTH } from '../../core/chat/outbox';
import { FocusOnInit } from '../../shared/focus-on-init';

/** Tallest the field grows before it scrolls, in pixels. */
const MAX_HEIGHT_PX = 160;
/** From this many characters on, the composer says how many are left. */
const COUNT_FROM = MAX_MESSAGE_LENGTH - 500;

/** The message field: Enter sends, Shift+Enter starts a new line, it grows with the text. */
@Component({
  selector: 'kez-composer',
  imports: [FocusOnInit],
  templateUrl: './composer.html',
  styleUrl: './composer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  /** The field's accessible name, e.g. "Message @bob". */
  readonly label = input.required<string>();
  readonly send = output<string>();

  protected readonly text = signal('');
  /** Characters the message holds as it will be sent (surrounding space is dropped). */
  private readonly length = computed(() => this.text().trim().length);
  protected readonly blank = computed(() => this.length() === 0);
  /** How far the text is past the limit (0 within it). The field does not cut a paste short: the person decides what goes. */
  protected readonly over = computed(() => Math.max(0, this.length() - MAX_MESSAGE_LENGTH));
  protected readonly limitNote = computed(() => {
    const length = this.length();
    if (length > MAX_MESSAGE_LENGTH) {
      return `${this.over().toLocaleString('en')} characters too long: a message holds at most ${MAX_MESSAGE_LENGTH.toLocaleString('en')}. Shorten it or send it in parts.`;
    }
    return length >= COUNT_FROM ? `${(MAX_MESSAGE_LENGTH - length).toLocaleString('en')} characters left.` : null;
  });
  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');

  protected changed(value: string): void {
    this.text.set(value);
    this.fit();
  }

  protected keydown(event: KeyboardEvent): void {
    // An IME composing a character also uses Enter; that Enter is not "send".
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  }

  protected submit(event?: Event): void {
    event?.preventDefault();
    if (this.blank() || this.over() > 0) {
      return;
    }
    this.send.emit(this.text());
    this.text.set('');
    this.field().nativeElement.value = '';
    this.fit();
    this.field().nativeElement.focus();
  }

  private fit(): void {
    const field = this.field().nativeElement;
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, MAX_HEIGHT_PX)}px`;
  }
}
