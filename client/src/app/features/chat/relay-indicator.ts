import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Chat } from '../../core/chat';
import { relayIndicator, relayLine } from '../../core/nostr/relay-status-text';

/**
 * The relays next to the home server's link: "● live (N)", and on click a popover
 * listing each relay with its state (connecting, live, auth-failed, down) and a way
 * to edit the list. Absent in a tab that runs no relays (another tab leads).
 * A non-modal disclosure: Escape closes it and gives the focus back to its button;
 * a click or the focus going anywhere else closes it too, so it never lingers over
 * the conversation list.
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
        [attr.aria-controls]="popoverId"
        [title]="shown.label"
        (click)="open.set(!open())"
        #toggle
      >
        <span class="visually-hidden">Nostr relays: </span>{{ shown.text }}
      </button>
      @if (open()) {
        <div [id]="popoverId" class="popover" [class.popover--down]="opensDown()" role="dialog" aria-label="Nostr relays">
          <p class="popover__title">{{ shown.label }}</p>
          <!-- With no relays the title already says so: no second sentence repeating it. -->
          @if (lines().length > 0) {
            <ul>
              @for (line of lines(); track line.url) {
                <li [attr.data-state]="line.state">{{ line.text }}</li>
              }
            </ul>
          }
          <a routerLink="/settings" fragment="relays" (click)="open.set(false)">Edit relays</a>
        </div>
      }
    }
  `,
  styles: `
    :host {
      position: relative;
    }
    /* "● live (2)" stays on one line when the footer is crowded ("Reconnect now"). */
    .relays {
      white-space: nowrap;
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
      color: var(--color-warn-text);
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
    /* At the top of a thread: below the button, where there is room. */
    .popover--down {
      inset-block-end: auto;
      inset-block-start: calc(100% + var(--space-1));
    }
    .popover__title {
      margin: 0 0 var(--space-2);
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
  host: {
    '(document:keydown.escape)': 'closeAndRefocus()',
    '(document:pointerdown)': 'closeIfOutside($event)',
    '(focusout)': 'closeIfOutside($event)',
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RelayIndicator {
  private readonly chat = inject(Chat);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly toggle = viewChild<ElementRef<HTMLButtonElement>>('toggle');
  private static instances = 0;
  /** One per instance: the sidebar and a thread (on phones) may each show one. */
  protected readonly popoverId = `relay-popover-${++RelayIndicator.instances}`;
  /** Opens the popover below the button (a bar at the top of the screen) instead of above it (the sidebar footer). */
  readonly opensDown = input(false);
  protected readonly open = signal(false);
  protected readonly indicator = computed(() => {
    const status = this.chat.relays();
    return status === null ? null : relayIndicator(status);
  });
  protected readonly lines = computed(() =>
    (this.chat.relays()?.relays ?? []).map((relay) => ({ url: relay.url, state: relay.state, text: relayLine(relay) })),
  );

  /** Escape, wherever the focus is: the popover closes and its button has the focus again. */
  protected closeAndRefocus(): void {
    if (this.open()) {
      this.open.set(false);
      this.toggle()?.nativeElement.focus();
    }
  }

  /** A press, or the focus, landing outside the button and its popover closes it (`relatedTarget` null: focus left the page, kept open). */
  protected closeIfOutside(event: Event): void {
    const target = event instanceof FocusEvent ? event.relatedTarget : event.target;
    if (this.open() && target instanceof Node && !this.host.contains(target)) {
      this.open.set(false);
    }
  }
}
