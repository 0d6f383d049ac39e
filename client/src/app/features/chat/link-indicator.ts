import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { Chat } from '../../core/chat';
import { RelayIndicator } from './relay-indicator';
import type { LinkStatus } from '../../core/transport/link-status';

const LABELS: Record<LinkStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/**
 * The link to the home server: live (green), reconnecting (amber), connecting (grey),
 * with "Reconnect now" while it is down, and the relays beside it. In the sidebar
 * footer always; in a thread (`onlyWhenDown`) only while it is not live, for phones
 * where the sidebar is hidden, with the relays too, so "Reconnecting…" does not read
 * as "nothing can be sent" while the relays carry the messages.
 */
@Component({
  selector: 'kez-link-indicator',
  imports: [RelayIndicator],
  template: `
    <p class="link" [attr.data-link]="link()" role="status">
      <span class="link__dot" aria-hidden="true"></span>
      <span><span class="visually-hidden">Connection: </span>{{ label() }}</span>
    </p>
    @if (link() === 'reconnecting') {
      <button type="button" class="button button--quiet reconnect" (click)="reconnect()">Reconnect now</button>
    }
    <!-- In a thread (phones) only while the server is down: then the relays say whether messages still go. -->
    @if (!onlyWhenDown() || link() !== 'live') {
      <kez-relay-indicator [opensDown]="onlyWhenDown()" />
    }
  `,
  styles: `
    /* Wraps as a whole on the narrowest screens rather than breaking a label over two lines. */
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--space-2);
      min-height: 2.75rem;
      padding: var(--space-1) var(--space-4);
      border-block-start: 1px solid var(--color-border);
    }
    :host(.only-when-live-is-gone[data-link='live']) {
      display: none;
    }
    /* Wrapped onto a line of its own, the relays stay on the right where they were. */
    kez-relay-indicator {
      margin-inline-start: auto;
    }
    .reconnect {
      white-space: nowrap;
      padding-block: var(--space-1);
      font-size: var(--text-sm);
    }
    .link {
      display: flex;
      align-items: center;
      gap: var(--space-2);
      margin: 0;
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
    .link__dot {
      width: 0.5rem;
      height: 0.5rem;
      border-radius: 50%;
      background: var(--color-text-muted);
    }
    [data-link='live'] .link__dot {
      background: var(--color-ok);
      box-shadow: 0 0 0 3px color-mix(in srgb, var(--color-ok) 25%, transparent);
    }
    [data-link='reconnecting'] .link__dot {
      background: var(--color-warn);
      animation: pulse 1.2s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        opacity: 0.35;
      }
    }
  `,
  host: {
    '[attr.data-link]': 'link()',
    '[class.only-when-live-is-gone]': 'onlyWhenDown()',
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LinkIndicator {
  private readonly chat = inject(Chat);
  /** Hidden while live (the thread's copy): shown only when there is something to say. */
  readonly onlyWhenDown = input(false);
  protected readonly link = this.chat.link;
  protected readonly label = computed(() => LABELS[this.link()]);

  protected reconnect(): void {
    this.chat.reconnectNow();
  }
}
