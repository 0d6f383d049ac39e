import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { Account } from '../../core/account';

/** The pane before a conversation is picked: what end-to-end encryption means here, and how to try it. */
@Component({
  selector: 'kez-chat-empty',
  templateUrl: './chat-empty.html',
  styleUrl: './chat-empty.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatEmpty {
  private readonly account = inject(Account);

  protected readonly server = this.account.serverName;
  protected readonly kez = this.account.kez;
}
