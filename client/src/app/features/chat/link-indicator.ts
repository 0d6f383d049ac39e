import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { Chat } from '../../core/chat';
import type { LinkStatus } from '../../core/transport/link-status';

const LABELS: Record<LinkStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** The link to the home server, in the sidebar footer: live (green), reconnecting (amber), connecting (grey). */
@Component({
  selector: 'kez-link-indicator',
  template: `
    <p class="link" [attr.data-link]="link()" role="status">
      <span class="link__dot" aria-hidden="true"></span>
      <span><span class="visually-hidden">Connection: </span>{{ label() }}</span>
    </p>
  `,
  styles: `
    :host {
      display: block;
      padding: var(--space-2) var(--space-4);
      border-block-start: 1px solid var(--color-border);
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
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LinkIndicator {
  protected readonly link = inject(Chat).link;
  protected readonly label = computed(() => LABELS[this.link()]);
}
