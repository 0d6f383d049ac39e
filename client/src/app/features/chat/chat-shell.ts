import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink, RouterOutlet } from '@angular/router';

import { Account } from '../../core/account';
import { returnParams } from '../../core/return-url';
import { BrandMark } from '../../shared/brand-mark';
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

  /** Locks, and asks for the passphrase with the open thread kept as where to return. */
  protected async lock(): Promise<void> {
    const here = this.router.url;
    await this.account.lock();
    await this.router.navigate(['/unlock'], { queryParams: returnParams(here) });
  }
}
