import { ChangeDetectionStrategy, Component, computed, type ElementRef, inject, signal, viewChild } from '@angular/core';

import { Chat } from '../../core/chat';
import { Faces } from '../../core/faces';
import { PictureInputError } from '../../core/faces/prepare-picture';
import { FocusOnInit } from '../../shared/focus-on-init';
import { takesText } from '../../shared/text-field';

/**
 * The profile picture: pick (file, drag and drop, paste), the two views side by side
 * ("what contacts see", "what strangers see"), scrambling (on by default; off asks
 * first) and who holds the key. The relays it goes to are Settings → Relays (RelaySetting).
 */
@Component({
  selector: 'kez-picture-setting',
  imports: [FocusOnInit],
  // Paste works anywhere on the page, not only on the picture area (which a click
  // elsewhere leaves); a focused text field keeps its normal paste.
  host: { '(document:paste)': 'pasted($event)' },
  template: `
    <div
      class="drop"
      [class.drop--over]="over()"
      (dragover)="$event.preventDefault(); over.set(true)"
      (dragleave)="over.set(false)"
      (drop)="dropped($event)"
      tabindex="0"
      role="group"
      aria-label="Your picture: drop or paste one here"
      aria-describedby="picture-help"
    >
      <div class="views">
        <figure class="view">
          @if (faces.ownFace(); as face) {
            <img class="view__img" [src]="face" alt="Your picture as your contacts see it" data-view="contacts" />
          } @else {
            <div class="view__img view__img--empty">No picture</div>
          }
          <figcaption>What contacts see</figcaption>
        </figure>
        <figure class="view">
          @if (faces.strangerView(); as noise) {
            <img class="view__img" [src]="noise" alt="Your picture as strangers see it" data-view="strangers" />
          } @else {
            <div class="view__img view__img--empty">No picture</div>
          }
          <figcaption>What strangers see</figcaption>
        </figure>
      </div>
      <p id="picture-help" class="field__hint">Choose a picture, drop one here, or paste one (Ctrl+V / ⌘V) anywhere on this page. It is cropped square, made 256×256, and re-drawn, so its location and camera data are not kept.</p>
      <label class="button button--secondary pick">
        Choose a picture…
        <input type="file" accept="image/*" class="visually-hidden" (change)="picked($event)" data-testid="picture-input" />
      </label>
      @if (faces.ownFace()) {
        <button type="button" class="button button--quiet remove" (click)="clear()">Remove picture</button>
      }
      <!-- Next to the buttons, so the outcome of a pick shows where the person is looking. -->
      @if (busy()) {
        <p class="field__hint" role="status">Preparing and publishing…</p>
      } @else if (faces.status(); as status) {
        <p [class.field__hint]="status.ok" [class.field__error]="!status.ok" role="status" data-testid="picture-status">{{ status.message }}</p>
      }
      @if (pickError(); as message) {
        <p class="field__error" role="alert" data-testid="picture-error">{{ message }}</p>
      }
    </div>

    <label class="switch">
      <input #scrambleSwitch type="checkbox" role="switch" [checked]="faces.scrambled()" [disabled]="!faces.ownFace()" (change)="toggleScramble($event)" data-testid="scramble-switch" />
      <span>Only contacts can see my picture</span>
    </label>
    <p class="field__hint">
      @if (!faces.ownFace()) {
        Choose a picture first; new pictures are for contacts only.
      } @else if (faces.scrambled()) {
        On: relays and strangers get coloured noise; the people you have written to get a key to turn it back into your picture. The noise has your picture’s colours, just not their places.
      } @else {
        Off: anyone on nostr can see your picture.
      }
    </p>
    @if (confirmingPlain()) {
      <div class="alert alert--warning" role="alertdialog" aria-labelledby="plain-warning">
        <p id="plain-warning">Publish your picture for everyone? Anyone who looks up your key — strangers, relays, search engines — will see your face, and copies may stay on relays after you change it.</p>
        <button type="button" class="button button--danger" (click)="publishPlain()">Show it to everyone</button>
        <!-- The safe choice takes the focus, so Enter or Space by habit keeps the picture private. -->
        <button type="button" class="button button--quiet" kezFocusOnInit (click)="keepForContacts()">Keep it for contacts</button>
      </div>
    }

    @if (error(); as message) {
      <p class="field__error" role="alert">{{ message }}</p>
    }

    @if (faces.scrambled() && (circle().length > 0 || removed().length > 0)) {
      <h3 class="sub">Who can see it</h3>
      <ul class="people">
        @for (person of circle(); track person.primary) {
          <li>
            <span>{{ person.name }}</span>
            <button type="button" class="button button--quiet" [attr.aria-label]="'Remove ' + person.name" (click)="remove($event, person.primary)">Remove</button>
          </li>
        }
        @for (person of removed(); track person.primary) {
          <li class="people__removed">
            <span>{{ person.name }} (removed)</span>
            <button type="button" class="button button--quiet" [attr.aria-label]="'Let see again: ' + person.name" (click)="restore($event, person.primary)">Let see again</button>
          </li>
        }
      </ul>
      <p class="field__hint">Removing someone gives your picture a new key; they keep only what they have already seen.</p>
    }

    <p class="field__hint">Your picture is published to, and read from, the relays listed under Relays below.</p>
  `,
  styles: `
    .drop {
      display: grid;
      gap: var(--space-3);
      padding: var(--space-3);
      border: 2px dashed var(--color-border);
      border-radius: 0.75rem;
    }
    .drop--over {
      border-color: var(--color-accent);
    }
    .views {
      display: flex;
      gap: var(--space-4);
      flex-wrap: wrap;
    }
    .view {
      margin: 0;
      text-align: center;
      font-size: var(--text-sm);
    }
    .view__img {
      display: grid;
      place-items: center;
      width: 8rem;
      height: 8rem;
      border-radius: 50%;
      object-fit: cover;
      background: var(--color-surface-2, #eee);
      color: var(--color-text-muted);
    }
    .field__hint,
    .field__error {
      margin-block-start: var(--space-2);
    }
    .switch {
      display: flex;
      align-items: center;
      gap: var(--space-2);
      margin-block-start: var(--space-3);
      font-weight: 600;
    }
    .switch input {
      width: 1.25rem;
      height: 1.25rem;
      accent-color: var(--color-accent);
    }
    .remove {
      justify-self: start;
    }
    .pick {
      justify-self: start;
      cursor: pointer;
    }
    /* The file input is hidden inside its label: show its keyboard focus on the label. */
    .pick:has(input:focus-visible) {
      outline: 2px solid var(--color-focus);
      outline-offset: 2px;
    }
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
      align-items: center;
      justify-content: space-between;
      gap: var(--space-2);
    }
    .people__removed {
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PictureSetting {
  protected readonly faces = inject(Faces);
  private readonly chat = inject(Chat);
  protected readonly over = signal(false);
  /** Picks being prepared or published: busy until the last one is done. */
  private readonly pending = signal(0);
  protected readonly busy = computed(() => this.pending() > 0);
  protected readonly error = signal<string | null>(null);
  /** Why the last pick could not be used. */
  protected readonly pickError = signal<string | null>(null);
  private readonly scrambleSwitch = viewChild.required<ElementRef<HTMLInputElement>>('scrambleSwitch');
  protected readonly confirmingPlain = signal(false);

  private readonly names = computed(() => new Map(this.chat.conversations().map((c) => [c.peer, c.handle ? `@${c.handle}` : `${c.peer.slice(0, 16)}…`])));
  protected readonly circle = computed(() => this.faces.circle().contacts.map((primary) => ({ primary, name: this.names().get(primary) ?? `${primary.slice(0, 16)}…` })));
  protected readonly removed = computed(() => this.faces.circle().removed.map((primary) => ({ primary, name: this.names().get(primary) ?? `${primary.slice(0, 16)}…` })));

  protected picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) {
      void this.use(file);
    }
  }

  protected dropped(event: DragEvent): void {
    event.preventDefault();
    this.over.set(false);
    const file = event.dataTransfer?.files[0];
    if (file) {
      void this.use(file);
    }
  }

  protected pasted(event: ClipboardEvent): void {
    if (takesText(event.target)) {
      return;
    }
    const file = [...(event.clipboardData?.files ?? [])].find((candidate) => candidate.type.startsWith('image/'));
    if (file) {
      event.preventDefault();
      void this.use(file);
    }
  }

  protected toggleScramble(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.checked) {
      this.confirmingPlain.set(false);
      void this.faces.setScrambled(true);
    } else {
      // Off only after the warning is accepted.
      input.checked = true;
      this.confirmingPlain.set(true);
    }
  }

  protected async publishPlain(): Promise<void> {
    this.closeWarning();
    await this.faces.setScrambled(false);
  }

  protected keepForContacts(): void {
    this.closeWarning();
  }

  /**
   * The second click of a double click lands where "Remove" was, on the "Let see
   * again" that replaced it (and the other way round): only single clicks and the
   * keyboard (detail 0) count.
   */
  protected remove(event: MouseEvent, primary: string): void {
    if (event.detail <= 1) {
      void this.faces.removeContact(primary);
    }
  }

  protected restore(event: MouseEvent, primary: string): void {
    if (event.detail <= 1) {
      void this.faces.restoreContact(primary);
    }
  }

  /** Back to the switch: the warning's buttons go away with it, and focus must not fall to the page. */
  private closeWarning(): void {
    this.confirmingPlain.set(false);
    this.scrambleSwitch().nativeElement.focus();
  }

  protected async clear(): Promise<void> {
    await this.faces.clearPicture();
  }

  private async use(file: Blob): Promise<void> {
    this.pickError.set(null);
    this.pending.update((n) => n + 1);
    try {
      await this.faces.setPicture(file);
    } catch (error) {
      this.pickError.set(error instanceof PictureInputError ? error.message : `The picture could not be set: ${(error as Error).message}`);
    } finally {
      this.pending.update((n) => n - 1);
    }
  }
}
