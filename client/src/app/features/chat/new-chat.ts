import { ChangeDetectionStrategy, Component, computed, effect, type ElementRef, inject, Injector, signal, untracked, viewChild } from '@angular/core';
import { Router } from '@angular/router';

import { Account } from '../../core/account';
import { Chat } from '../../core/chat';
import { exampleHandle } from '../../core/identity/example-handle';
import { refocusIfLost } from '../../shared/refocus-if-lost';

/** "Start a chat": a handle or KEZ in, the conversation with that person out. */
@Component({
  selector: 'kez-new-chat',
  templateUrl: './new-chat.html',
  styleUrl: './new-chat.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewChat {
  private readonly chat = inject(Chat);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');

  private readonly account = inject(Account);
  protected readonly server = this.account.serverName;
  protected readonly example = computed(() => exampleHandle(this.account.profile()?.handle));
  protected readonly text = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  /** The error is "can't reach the server": it no longer holds once the link is live. */
  private unreachable = false;

  constructor() {
    effect(() => {
      if (this.chat.link() === 'live' && untracked(() => this.unreachable)) {
        this.unreachable = false;
        untracked(() => this.error.set(null));
      }
    });
  }

  protected async start(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) {
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.unreachable = false;
    try {
      const result = await this.chat.startChat(this.text());
      if (result.ok) {
        this.text.set('');
        await this.router.navigate(['/chats', result.conversation.handle ?? result.conversation.peer]);
      } else {
        this.unreachable = result.problem === 'failed';
        this.error.set(result.message);
      }
    } catch {
      // The chat was still starting (or just locked): nothing was sent anywhere.
      this.error.set('Not ready yet. Try again in a moment.');
    } finally {
      this.busy.set(false);
      // "Chat" is disabled while it looks the person up, which drops a click's focus: back to the field the error describes.
      refocusIfLost(() => this.input().nativeElement, this.injector);
    }
  }
}
