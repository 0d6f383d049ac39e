import { nostrContactName } from '../../core/chat/model';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Chat } from '../../core/chat';
import { formatWhen } from '../../core/chat/format-time';
import { threadAttention } from '../../core/chat/thread-attention';
import { unreadBadge } from '../../core/chat/unread';
import { Avatar } from '../../shared/avatar';

/** The conversations, most recent first, with previews, unread badges, and a mark where one of ours did not go out yet. */
@Component({
  selector: 'kez-conversation-list',
  imports: [Avatar, RouterLink],
  templateUrl: './conversation-list.html',
  styleUrl: './conversation-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationList {
  private readonly chat = inject(Chat);

  protected readonly loaded = this.chat.loaded;
  protected readonly rows = computed(() => {
    const active = this.chat.active();
    return this.chat.conversations().map((conversation) => ({
      conversation,
      link: conversation.handle ?? conversation.peer,
      name: conversation.nostr ? nostrContactName(conversation.nostr) : conversation.handle === null ? 'Unknown sender' : `@${conversation.handle}`,
      nostr: conversation.nostr !== undefined,
      when: conversation.lastAt === null ? '' : formatWhen(conversation.lastAt),
      badge: unreadBadge(conversation.unread),
      active: conversation.peer === active,
      attention: threadAttention(this.chat.messagesOf(conversation.peer)),
    }));
  });
}
