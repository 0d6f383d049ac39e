import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, Injector } from '@angular/core';

import { Chat } from '../../core/chat';
import { errorReason } from '../../core/error-reason';
import { Faces } from '../../core/faces';
import { PendingAction } from '../../shared/pending-action';

/** What the row says when removing (`removing`) or letting back in a person failed. */
function circleFailure(removing: boolean, error: unknown): string {
  const reason = errorReason(error) ?? 'this browser refused to store the change';
  return removing
    ? `Not removed (${reason}): they can still see your picture. Try again.`
    : `Not let back in (${reason}): they still see only noise. Try again.`;
}

/**
 * "Who can see it": the people holding the picture key, each with Remove (which
 * rotates the key), and those removed, each with "Let see again". Each person's
 * button shows its change under way, says why when it failed in an alert in the
 * person's row (tied to the button), and keeps the focus: the row's button changes
 * from Remove to "Let see again" and back, and the focus follows it.
 */
@Component({
  selector: 'kez-picture-circle',
  template: `
    @if (people().length > 0) {
      <h3 class="sub">Who can see it</h3>
      <ul class="people">
        @for (person of people(); track person.primary) {
          @let action = actionFor(person.primary);
          <li [class.people__removed]="person.removed">
            <span>{{ person.name }}{{ person.removed ? ' (removed)' : '' }}</span>
            <button
              type="button"
              class="button button--quiet"
              [attr.data-primary]="person.primary"
              [attr.aria-label]="(person.removed ? 'Let see again: ' : 'Remove ') + person.name"
              [attr.aria-describedby]="action.error() ? action.errorId : null"
              [disabled]="action.busy()"
              (click)="change($event, person.primary, !person.removed)"
            >
              {{ action.busy() ? 'Saving…' : person.removed ? 'Let see again' : 'Remove' }}
            </button>
            @if (action.error(); as message) {
              <p [id]="action.errorId" class="field__error people__error" role="alert">{{ message }}</p>
            }
          </li>
        }
      </ul>
      <p class="field__hint">Removing someone gives your picture a new key; they keep only what they have already seen.</p>
    }
  `,
  styles: `
    .sub {
      margin: var(--space-4) 0 var(--space-2);
      font-size: var(--text-base, 1rem);
    }
    .people {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .people li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--space-2);
    }
    .people__removed {
      color: var(--color-text-muted);
    }
    .people__error {
      flex-basis: 100%;
      margin: 0 0 var(--space-2);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PictureCircle {
  private readonly faces = inject(Faces);
  private readonly chat = inject(Chat);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  /** One action per person, kept while the settings are open (the row moves between Remove and "Let see again"). */
  private readonly actions = new Map<string, PendingAction>();

  private readonly names = computed(() => new Map(this.chat.conversations().map((c) => [c.peer, c.handle ? `@${c.handle}` : `${c.peer.slice(0, 16)}…`])));
  /** Those holding the key, then those removed. */
  protected readonly people = computed(() => {
    const { contacts, removed } = this.faces.circle();
    const name = (primary: string) => this.names().get(primary) ?? `${primary.slice(0, 16)}…`;
    return [
      ...contacts.map((primary) => ({ primary, name: name(primary), removed: false })),
      ...removed.map((primary) => ({ primary, name: name(primary), removed: true })),
    ];
  });

  protected actionFor(primary: string): PendingAction {
    let action = this.actions.get(primary);
    if (action === undefined) {
      action = new PendingAction(this.injector, () => this.buttonOf(primary));
      this.actions.set(primary, action);
    }
    return action;
  }

  /**
   * Removes (`removing`) or lets back in `primary`. The second click of a double click
   * lands where "Remove" was, on the "Let see again" that replaced it (and the other
   * way round): only single clicks and the keyboard (detail 0) count.
   */
  protected change(event: MouseEvent, primary: string, removing: boolean): void {
    if (event.detail > 1) {
      return;
    }
    void this.actionFor(primary).run(
      () => (removing ? this.faces.removeContact(primary) : this.faces.restoreContact(primary)),
      (error) => circleFailure(removing, error),
    );
  }

  /** The person's button as it is now (Remove or "Let see again"). */
  private buttonOf(primary: string): HTMLElement | null {
    return this.host.querySelector<HTMLElement>(`button[data-primary="${CSS.escape(primary)}"]`);
  }
}
