import { afterNextRender, ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, type OnInit, signal, viewChild } from '@angular/core';
import { ActivatedRoute } from '@angular/router';

import { Chat } from '../../core/chat';
import { errorReason } from '../../core/error-reason';
import { parseRelayInput, type RelayChoice, relayChoiceText, repeatedRelays } from '../../core/nostr/relay-list';
import { refocusIfLost } from '../../shared/focus-after-render';

/** The reason a read failed, as " (reason)", or nothing when it gave none. */
function readFailure(error: unknown): string {
  const reason = errorReason(error);
  return reason === null ? '' : ` (${reason})`;
}

/**
 * The one list of nostr relays this client uses, for the chat next to the home
 * server and for the profile (name, picture): the home server's defaults until the
 * person writes their own list; saving switches the running relays at once.
 * Opened as `/settings#relays` (the relay popover's "Edit relays"), the list gets
 * the focus. The buttons keep the focus through a save (see `refocusIfLost`). Until
 * the stored list is read ("Loading…") the list cannot be edited or saved: what was
 * typed or saved meanwhile would be replaced by the list read.
 */
@Component({
  selector: 'kez-relay-setting',
  template: `
    <p class="hint">
      Messages travel through your home server and these nostr relays at the same time, so you keep chatting when one of them is down. Relays see only sealed
      messages under one-time keys. Your profile (name and picture) is published here too.
    </p>
    <label class="field__label" for="relay-list">Relays, one per line</label>
    <textarea
      #field
      id="relay-list"
      rows="4"
      spellcheck="false"
      autocapitalize="off"
      [value]="text()"
      [readOnly]="choice() === null"
      (input)="edit($event)"
      [attr.aria-invalid]="error() !== null"
      [attr.aria-describedby]="error() === null ? 'relay-source' : 'relay-source relay-error'"
      data-testid="relays"
    ></textarea>
    <p id="relay-source" class="status" role="status">{{ sourceText() }}</p>
    @if (error(); as message) {
      <p id="relay-error" class="field__error" role="alert">{{ message }}</p>
    }
    <div class="actions">
      <button #saveButton type="button" class="button" [disabled]="busy() || choice() === null" (click)="save()">Save relays</button>
      <button type="button" class="button button--quiet" [disabled]="busy() || choice()?.source !== 'custom'" (click)="reset()">Use the server's relays</button>
    </div>
  `,
  styles: `
    .hint {
      margin: 0 0 var(--space-2);
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
    textarea {
      width: 100%;
      box-sizing: border-box;
      font-family: var(--font-mono, monospace);
      font-size: var(--text-sm);
    }
    .status {
      margin: var(--space-1) 0 0;
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-2);
      margin-block-start: var(--space-2);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RelaySetting implements OnInit {
  private readonly chat = inject(Chat);
  private readonly injector = inject(Injector);
  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');
  private readonly saveButton = viewChild.required<ElementRef<HTMLButtonElement>>('saveButton');
  protected readonly text = signal('');
  protected readonly choice = signal<RelayChoice | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly sourceText = signal('Loading…');

  constructor() {
    if (inject(ActivatedRoute).snapshot.fragment === 'relays') {
      // After the page heading took the focus (it renders first): the person came to edit the list.
      afterNextRender(() => this.field().nativeElement.focus());
    }
  }

  ngOnInit(): void {
    void this.chat.relayChoice().then(
      (choice) => this.show(choice),
      // The list stays read-only: saving over a list that could not be read would lose it.
      (error: unknown) => this.sourceText.set(`The relay list could not be read${readFailure(error)}. Reload to try again.`),
    );
  }

  protected edit(event: Event): void {
    this.text.set((event.target as HTMLTextAreaElement).value);
    this.error.set(null);
    // "Saved." no longer holds once the list is edited again.
    const choice = this.choice();
    if (choice !== null) {
      this.sourceText.set(relayChoiceText(choice));
    }
  }

  protected async save(): Promise<void> {
    let urls: string[];
    try {
      urls = parseRelayInput(this.text());
    } catch (error) {
      this.error.set(error instanceof Error ? error.message : String(error));
      return;
    }
    const repeats = repeatedRelays(this.text());
    await this.run(() => this.chat.saveRelays(urls), repeats);
  }

  protected async reset(): Promise<void> {
    await this.run(() => this.chat.saveRelays(null), 0);
  }

  private async run(change: () => Promise<RelayChoice>, repeats: number): Promise<void> {
    this.busy.set(true);
    try {
      this.show(await change(), { repeats });
    } catch (error) {
      this.error.set(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy.set(false);
      // "Use the server's relays" stays disabled once used: the focus goes to "Save relays" then.
      refocusIfLost(() => this.saveButton().nativeElement, this.injector);
    }
  }

  private show(choice: RelayChoice, saved?: { readonly repeats: number }): void {
    this.choice.set(choice);
    this.text.set(choice.urls.join('\n'));
    this.error.set(null);
    this.sourceText.set(relayChoiceText(choice, saved));
  }
}
