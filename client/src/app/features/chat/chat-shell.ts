import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { ActivatedRoute, Router, RouterLink, RouterOutlet } from '@angular/router';

import { Account, lockFailure } from '../../core/account';
import { returnParams } from '../../core/return-url';
import { BrandMark } from '../../shared/brand-mark';
import { PendingAction } from '../../shared/pending-action';
import { NotificationPrompt } from '../notifications/notification-prompt';
import { ConversationList } from './conversation-list';
import { LinkIndicator } from './link-indicator';
import { MyKez } from './my-kez';
import { NewChat } from './new-chat';

/** Two panes: the sidebar (you, new chat, conversations, link) and the thread. One at a time on a phone. */
@Component({
  selector: 'kez-chat-shell',
  imports: [BrandMark, ConversationList, LinkIndicator, MyKez, NewChat, NotificationPrompt, RouterLink, RouterOutlet],
  templateUrl: './chat-shell.html',
  styleUrl: './chat-shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatShell {
  private readonly account = inject(Account);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** A thread is on screen: on a phone the sidebar steps aside. */
  protected readonly threadOpen = signal(false);

  protected paneChanged(): void {
    this.threadOpen.set(this.route.firstChild?.snapshot.paramMap.has('peer') ?? false);
  }

  private readonly lockButton = viewChild.required<ElementRef<HTMLButtonElement>>('lockButton');
  /** Lock under way, or why it did not lock (shown under the sidebar's top bar). */
  protected readonly locking = new PendingAction(inject(Injector), () => this.lockButton().nativeElement);

  /** Locks, and asks for the passphrase with the open thread kept as where to return. */
  protected async lock(): Promise<void> {
    const here = this.router.url;
    if (await this.locking.run(() => this.account.lock(), lockFailure)) {
      await this.router.navigate(['/unlock'], { queryParams: returnParams(here) });
    }
  }
}
