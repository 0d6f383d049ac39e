import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { Account } from '../../core/account';
import { exampleHandle } from '../../core/identity/example-handle';

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
  protected readonly example = computed(() => exampleHandle(this.account.profile()?.handle));
}
