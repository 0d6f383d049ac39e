import { ChangeDetectionStrategy, Component, computed, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';

import { errorReason } from '../../core/error-reason';
import { Faces } from '../../core/faces';
import { PictureInputError } from '../../core/faces/prepare-picture';
import { FocusOnInit } from '../../shared/focus-on-init';
import { PendingAction } from '../../shared/pending-action';
import { takesText } from '../../shared/text-field';
import { PictureCircle } from './picture-circle';
import { SettingSwitch } from './setting-switch';

/** Why a change of the picture did not happen, in words: the rejection's reason, or the usual one (storage). */
function reasonOf(error: unknown): string {
  return errorReason(error) ?? 'this browser refused to store the change';
}

/** True when a drag carries files (not text or a link dragged within the page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * The profile picture: pick (file, drag and drop, paste), the two views side by side
 * ("what contacts see", "what strangers see"), scrambling (on by default; off asks
 * first) and who holds the key (PictureCircle). Each change that fails (the browser
 * refuses to store it) ends its "under way" state, says why next to its control and
 * leaves the focus there. The relays it goes to are Settings → Relays (RelaySetting).
 */
@Component({
  selector: 'kez-picture-setting',
  imports: [FocusOnInit, PictureCircle, SettingSwitch],
  // Paste works anywhere on the page, not only on the picture area (which a click
  // elsewhere leaves); a focused text field keeps its normal paste. A file dropped
  // anywhere on the picture section is the picture; dropped elsewhere on the page it
  // is refused, not opened by the browser (which would leave the app).
  host: {
    '(document:paste)': 'pasted($event)',
    '(document:dragover)': 'refuseFileDrop($event)',
    '(document:drop)': 'refuseFileDrop($event)',
    '(dragover)': 'dragOver($event)',
    '(dragleave)': 'over.set(false)',
    '(drop)': 'dropped($event)',
  },
  template: `
    <div class="drop" [class.drop--over]="over()" tabindex="0" role="group" aria-label="Your picture: drop or paste one here" aria-describedby="picture-help">
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
      <p id="picture-help" class="field__hint">
        Choose a picture, drop one here, or paste one (Ctrl+V / ⌘V) anywhere on this page. It is cropped square, made 256×256, and re-drawn, so its location and
        camera data are not kept.
      </p>
      <label class="button button--secondary pick">
        Choose a picture…
        <input
          #pickInput
          type="file"
          accept="image/*"
          class="visually-hidden"
          (change)="picked($event)"
          [attr.aria-describedby]="pickError() ? 'picture-error' : null"
          data-testid="picture-input"
        />
      </label>
      @if (faces.ownFace()) {
        <button
          #removeButton
          type="button"
          class="button button--quiet remove"
          (click)="clear()"
          [disabled]="removing.busy()"
          [attr.aria-describedby]="removing.error() ? removing.errorId : null"
        >
          {{ removing.busy() ? 'Removing…' : 'Remove picture' }}
        </button>
      }
      @if (removing.error(); as message) {
        <p [id]="removing.errorId" class="field__error" role="alert">{{ message }}</p>
      }
      <!-- Next to the buttons, so the outcome of a pick shows where the person is looking. -->
      @if (busy()) {
        <p class="field__hint" role="status">Preparing and publishing…</p>
      } @else if (pickError()) {
        <!-- The last publish's line would read as if the refused file had been published. -->
      } @else if (faces.status(); as status) {
        <p [class.field__hint]="status.ok" [class.field__error]="!status.ok" role="status" data-testid="picture-status">{{ status.message }}</p>
      }
      @if (pickError(); as message) {
        <p id="picture-error" class="field__error" role="alert" data-testid="picture-error">{{ message }}</p>
      }
    </div>

    <kez-setting-switch
      class="scramble"
      label="Only contacts can see my picture"
      [checked]="faces.ownKnown() ? faces.scrambled() : null"
      [disabled]="!faces.ownFace()"
      [saving]="publishing.busy()"
      savingWords="Publishing your picture for everyone…"
      [apply]="scramble"
      [failure]="scrambleFailure"
      [error]="publishing.error()"
    >
      @if (!faces.ownFace()) {
        Choose a picture first; new pictures are for contacts only.
      } @else if (faces.scrambled()) {
        On: relays and strangers get coloured noise; the people you have written to get a key to turn it back into your picture. The noise has your picture’s
        colours, just not their places.
      } @else {
        Off: anyone on nostr can see your picture.
      }
    </kez-setting-switch>
    @if (confirmingPlain()) {
      <div class="alert alert--warning" role="alertdialog" aria-labelledby="plain-warning">
        <p id="plain-warning">
          Publish your picture for everyone? Anyone who looks up your key — strangers, relays, search engines — will see your face, and copies may stay on
          relays after you change it.
        </p>
        <div class="alert__actions">
          <button type="button" class="button button--danger" (click)="publishPlain()">Show it to everyone</button>
          <!-- The safe choice takes the focus, so Enter or Space by habit keeps the picture private. -->
          <button type="button" class="button button--quiet" kezFocusOnInit (click)="keepForContacts()">Keep it for contacts</button>
        </div>
      </div>
    }

    <!-- Without a picture there is no key to hold or to rotate: nobody to list or remove. -->
    @if (faces.ownFace() && faces.scrambled()) {
      <kez-picture-circle />
    }

    <p class="field__hint">Your picture is published to, and read from, the relays listed under Relays below.</p>
  `,
  styles: `
    :host {
      display: block;
    }
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
      /* A thin ring, as on avatars (shared/avatar.ts): a picture white to its edge keeps its circle. */
      box-shadow: 0 0 0 1px var(--color-border);
    }
    .field__hint,
    .field__error {
      margin-block-start: var(--space-2);
    }
    .scramble {
      margin-block-start: var(--space-3);
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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PictureSetting {
  protected readonly faces = inject(Faces);
  private readonly injector = inject(Injector);
  protected readonly over = signal(false);
  /** Picks being prepared or published: busy until the last one is done. */
  private readonly pending = signal(0);
  protected readonly busy = computed(() => this.pending() > 0);
  /** Why the last pick could not be used. */
  protected readonly pickError = signal<string | null>(null);
  private readonly scrambleSwitch = viewChild.required(SettingSwitch);
  private readonly removeButton = viewChild<ElementRef<HTMLButtonElement>>('removeButton');
  private readonly pickInput = viewChild.required<ElementRef<HTMLInputElement>>('pickInput');
  protected readonly confirmingPlain = signal(false);
  /** "Show it to everyone", once confirmed: its failure shows under the switch, which keeps the focus. */
  protected readonly publishing = new PendingAction(this.injector, () => this.scrambleSwitch().control());
  /** "Remove picture"; after it the button is gone and the focus goes to "Choose a picture…". */
  protected readonly removing = new PendingAction(this.injector, () => this.removeButton()?.nativeElement ?? this.pickInput().nativeElement);

  protected picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) {
      void this.use(file);
    }
  }

  /** A file dragged over the picture section: it may be dropped here (the zone shows it). */
  protected dragOver(event: DragEvent): void {
    if (carriesFiles(event)) {
      event.preventDefault();
      this.over.set(true);
    }
  }

  /** A file dragged over or dropped anywhere on the page: cancelled, so the browser does not open it and leave the app. */
  protected refuseFileDrop(event: DragEvent): void {
    if (carriesFiles(event)) {
      event.preventDefault();
    }
  }

  protected dropped(event: DragEvent): void {
    if (!carriesFiles(event)) {
      return;
    }
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
    } else {
      // Outside a text field a paste would otherwise do nothing at all.
      this.pickError.set('What you pasted is not a picture. Copy an image, or choose a file.');
    }
  }

  /** The switch's change: on publishes scrambled at once; off only asks (publishPlain does it once accepted). */
  protected readonly scramble = async (on: boolean): Promise<void> => {
    this.publishing.clear();
    this.confirmingPlain.set(!on);
    if (on) {
      await this.faces.setScrambled(true);
    }
  };

  /** Turning scrambling back on failed (`on` is always true here: off only asks). */
  protected readonly scrambleFailure = (error: unknown): string => `Not changed (${reasonOf(error)}): anyone on nostr can still see your picture. Try again.`;

  protected async publishPlain(): Promise<void> {
    this.closeWarning();
    await this.publishing.run(
      () => this.faces.setScrambled(false),
      (error) => `Not shown to everyone (${reasonOf(error)}): your picture stays for contacts only. Try again.`,
    );
  }

  protected keepForContacts(): void {
    this.closeWarning();
  }

  /** Back to the switch: the warning's buttons go away with it, and focus must not fall to the page. */
  private closeWarning(): void {
    this.confirmingPlain.set(false);
    this.scrambleSwitch().control().focus();
  }

  protected async clear(): Promise<void> {
    await this.removing.run(
      () => this.faces.clearPicture(),
      (error) => `Not removed (${reasonOf(error)}): your picture is still set. Try again.`,
    );
  }

  private async use(file: Blob): Promise<void> {
    this.pickError.set(null);
    this.removing.clear();
    this.pending.update((n) => n + 1);
    try {
      await this.faces.setPicture(file);
    } catch (error) {
      this.pickError.set(error instanceof PictureInputError ? error.message : `The picture could not be set (${reasonOf(error)}). Try again.`);
    } finally {
      this.pending.update((n) => n - 1);
    }
  }
}
