import { ChangeDetectionStrategy, Component, inject, type OnInit, signal } from '@angular/core';

import { Chat } from '../../core/chat';
import { parseRelayInput, type RelayChoice } from '../../core/nostr/relay-list';

/**
 * The one list of nostr relays this client uses, for the chat next to the home
 * server and for the profile (name, picture): the home server's defaults until the
 * person writes their own list; saving switches the running relays at once.
 */
@Component({
  selector: 'kez-relay-setting',
  template: `
    <p class="hint">
      Messages travel through your home server and these nostr relays at the same time, so you keep chatting when one of them is down. Relays see only
      sealed messages under one-time keys. Your profile (name and picture) is published here too.
    </p>
    <label class="field__label" for="relay-list">Relays, one per line</label>
    <textarea id="relay-list" rows="4" spellcheck="false" autocapitalize="off" [value]="text()" (input)="edit($event)" aria-describedby="relay-source" data-testid="relays"></textarea>
    <p id="relay-source" class="status" role="status">{{ sourceText() }}</p>
    @if (error(); as message) {
      <p class="field__error" role="alert">{{ message }}</p>
    }
    <div class="actions">
      <button type="button" class="button" [disabled]="busy()" (click)="save()">Save relays</button>
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
  protected readonly text = signal('');
  protected readonly choice = signal<RelayChoice | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly sourceText = signal('Loading…');

  ngOnInit(): void {
    void this.chat.relayChoice().then((choice) => this.show(choice));
  }

  protected edit(event: Event): void {
    this.text.set((event.target as HTMLTextAreaElement).value);
    this.error.set(null);
  }

  protected async save(): Promise<void> {
    let urls: string[];
    try {
      urls = parseRelayInput(this.text());
    } catch (error) {
      this.error.set(error instanceof Error ? error.message : String(error));
      return;
    }
    await this.run(() => this.chat.saveRelays(urls));
  }

  protected async reset(): Promise<void> {
    await this.run(() => this.chat.saveRelays(null));
  }

  private async run(change: () => Promise<RelayChoice>): Promise<void> {
    this.busy.set(true);
    try {
      this.show(await change());
    } catch (error) {
      this.error.set(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy.set(false);
    }
  }

  private show(choice: RelayChoice): void {
    this.choice.set(choice);
    this.text.set(choice.urls.join('\n'));
    this.error.set(null);
    this.sourceText.set(
      choice.source === 'custom'
        ? 'Your own list.'
        : choice.urls.length === 0
          ? 'Your home server proposes no relays: messages travel through it only.'
          : 'The relays your home server proposes.',
    );
  }
}
