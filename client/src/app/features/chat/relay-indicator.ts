import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Chat } from '../../core/chat';
import { relayIndicator, relayLine } from '../../core/nostr/relay-status-text';

/**
 * The relays next to the home server's link: "● live (N)", and on click a popover
 * listing each relay with its state (connecting, live, auth-failed, down) and a way
 * to edit the list. Absent in a tab that runs no relays (another tab leads).
 */
@Component({
  selector: 'kez-relay-indicator',
  imports: [RouterLink],
  template: `
    @if (indicator(); as shown) {
      <button
        type="button"
        class="relays"
        [attr.data-tone]="shown.tone"
        [attr.aria-expanded]="open()"
        aria-controls="relay-popover"
        [title]="shown.label"
        (click)="open.set(!open())"
      >
        <span class="visually-hidden">Nostr relays: </span>{{ shown.text }}
      </button>
      @if (open()) {
        <div id="relay-popover" class="popover" role="dialog" aria-label="Nostr relays">
          <p class="popover__title">{{ shown.label }}</p>
          <ul>
            @for (line of lines(); track line.url) {
              <li [attr.data-state]="line.state">{{ line.text }}</li>
            } @empty {
              <li>No relays: messages travel through the home server only.</li>
            }
          </ul>
          <a routerLink="/settings" fragment="relays" (click)="open.set(false)">Edit relays</a>
        </div>
      }
    }
  `,
  styles: `
    :host {
      position: relative;
    }
    .relays {
      border: 0;
      background: none;
      padding: var(--space-1);
      color: var(--color-text-muted);
      font: inherit;
      font-size: var(--text-sm);
      cursor: pointer;
    }
    [data-tone='live'] {
      color: var(--color-ok);
    }
    [data-tone='partial'],
    [data-tone='connecting'] {
      color: var(--color-warn);
    }
    .popover {
      position: absolute;
      inset-block-end: calc(100% + var(--space-1));
      inset-inline-end: 0;
      z-index: 10;
      min-width: 18rem;
      max-width: 90vw;
      padding: var(--space-2) var(--space-3);
      border: 1px solid var(--color-border);
      border-radius: 0.5rem;
      background: var(--color-surface);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.15);
      font-size: var(--text-sm);
    }
    .popover__title {
      margin: 0 0 var(--space-1);
      font-weight: 600;
    }
    ul {
      margin: 0 0 var(--space-2);
      padding-inline-start: 1.1rem;
    }
    li[data-state='live'] {
      color: var(--color-ok);
    }
    li[data-state='auth-failed'],
    li[data-state='down'] {
      color: var(--color-danger);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RelayIndicator {
  private readonly chat = inject(Chat);
  protected readonly open = signal(false);
  protected readonly indicator = computed(() => {
    const status = this.chat.relays();
    return status === null ? null : relayIndicator(status);
  });
  protected readonly lines = computed(() => (this.chat.relays()?.relays ?? []).map((relay) => ({ url: relay.url, state: relay.state, text: relayLine(relay) })));
}
