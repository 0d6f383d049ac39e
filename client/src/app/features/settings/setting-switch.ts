import { ChangeDetectionStrategy, Component, input } from '@angular/core';

let nextId = 0;

/**
 * A Settings switch with its status line under it (the card "Notifications" and
 * "This device" share). The switch moves at the click while `apply` works, then shows
 * `checked` again, so a change that failed never leaves it showing a state that is
 * not true. The status text is the content, read out as it changes (`role="status"`) and tied to the
 * switch as its description.
 */
@Component({
  selector: 'kez-setting-switch',
  template: `
    <label class="switch">
      <input type="checkbox" role="switch" [checked]="checked()" [disabled]="disabled()" (change)="change($event)" [attr.aria-describedby]="statusId" />
      <span>{{ label() }}</span>
    </label>
    <p [id]="statusId" class="status" role="status"><ng-content /></p>
  `,
  styles: `
    :host {
      display: block;
    }
    .switch {
      display: flex;
      align-items: center;
      gap: var(--space-2);
      font-weight: 600;
    }
    .switch input {
      flex: none;
      width: 1.25rem;
      height: 1.25rem;
      accent-color: var(--color-accent);
    }
    .status {
      margin: var(--space-2) 0 0;
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingSwitch {
  readonly label = input.required<string>();
  /** The real state, which the switch shows once `apply` is done. */
  readonly checked = input.required<boolean>();
  readonly disabled = input(false);
  /** Carries out the state the person asked for; `checked` follows once it is true. Its failure is the owner's to show. */
  readonly apply = input.required<(on: boolean) => Promise<void>>();

  protected readonly statusId = `setting-status-${nextId++}`;

  protected async change(event: Event): Promise<void> {
    const box = event.target as HTMLInputElement;
    try {
      await this.apply()(box.checked);
    } catch {
      // The owner says what went wrong; the switch only has to stay true.
    } finally {
      // The binding alone would not undo the click when the real state never changed.
      box.checked = this.checked();
    }
  }
}
