import { nostrContactName } from '../../core/chat/model';
import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  type ElementRef,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { Chat } from '../../core/chat';
import { groupByDay } from '../../core/chat/day-groups';
import type { ChatMessage } from '../../core/chat/model';
import { Faces } from '../../core/faces';
import { Avatar } from '../../shared/avatar';
import { FaceZoom } from '../../shared/face-zoom';
import { Composer } from './composer';
import { LinkIndicator } from './link-indicator';
import { MessageBubble } from './message-bubble';

/** How close to the bottom (px) still counts as "reading the latest": new messages then scroll into view. */
const STICK_TO_BOTTOM_PX = 120;

/** Said under a lookup that failed for want of the server: the thread retries by itself. */
const OPENS_WHEN_BACK = 'It opens by itself once the server answers.';

/** One conversation: header, messages by day, composer. */
@Component({
  selector: 'kez-thread',
  imports: [Avatar, Composer, FaceZoom, LinkIndicator, MessageBubble, RouterLink],
  templateUrl: './thread.html',
  styleUrl: './thread.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Thread {
  /** The route's `:peer`: a handle, or the key of a sender without one. */
  readonly peer = input.required<string>();

  private readonly chat = inject(Chat);
  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  /** Whether the reader is at (or near) the newest message. */
  private atBottom = true;

  protected readonly problem = signal<string | null>(null);
  /** The peer's picture is shown full screen. */
  protected readonly zoomed = signal(false);
  protected readonly conversation = computed(() => {
    const key = this.peer();
    return this.chat.conversations().find((candidate) => candidate.handle === key || candidate.peer === key) ?? null;
  });
  protected readonly name = computed(() => {
    const conversation = this.conversation();
    if (conversation?.nostr) {
      return nostrContactName(conversation.nostr);
    }
    return conversation?.handle ? `@${conversation.handle}` : 'Unknown sender';
  });
  protected readonly days = computed(() => {
    const conversation = this.conversation();
    return conversation ? groupByDay(this.chat.messagesOf(conversation.peer)) : [];
  });

  constructor() {
    // Opening /chats/<handle> directly (a link, a reload) starts that chat if it is new.
    // Any spelling that finds someone ("ALICE", "alice@server") moves to the canonical
    // /chats/<handle>; anything else ends in a message, never an endless "Opening…".
    const router = inject(Router);
    // A thread opening reads the peer's profile again (a new picture shows without waiting 6 h).
    const faces = inject(Faces);
    let refreshed = '';
    effect(() => {
      const conversation = this.conversation();
      if (conversation && refreshed !== conversation.peer) {
        refreshed = conversation.peer;
        void faces.load(conversation.peer, conversation.handle, true);
      }
    });

    // `asked` keeps one lookup per spelling while it is on screen; it is forgotten once a
    // conversation shows, because the thread is reused from link to link, and the same
    // spelling opened again later ("ALICE" → alice → "ALICE") must be resolved again.
    // An answer for a spelling the person has already left is dropped: it must not pull
    // them back (a slow lookup, then a click on another conversation).
    // A lookup the server could not answer (down, unreachable) is asked again by itself
    // when the link is live again, as queued sends go out then.
    let asked = '';
    let askWhenLive = false;
    effect(() => {
      const key = this.peer();
      const live = this.chat.link() === 'live';
      if (this.conversation() !== null) {
        asked = '';
        askWhenLive = false;
        this.problem.set(null);
        return;
      }
      if (askWhenLive && live) {
        askWhenLive = false;
        asked = '';
      }
      if (this.chat.loaded() && asked !== key) {
        asked = key;
        this.problem.set(null);
        this.chat.startChat(key).then(
          (result) => {
            if (untracked(this.peer) !== key) {
              return;
            }
            if (!result.ok && result.problem === 'failed') {
              askWhenLive = true;
              this.problem.set(`${result.message} ${OPENS_WHEN_BACK}`);
            } else if (!result.ok) {
              this.problem.set(result.message);
            } else if (result.conversation.handle !== null && result.conversation.handle !== key) {
              void router.navigate(['/chats', result.conversation.handle], { replaceUrl: true });
            }
          },
          () => {
            if (untracked(this.peer) === key) {
              askWhenLive = true;
              this.problem.set(`This conversation could not be opened. ${OPENS_WHEN_BACK}`);
            }
          },
        );
      }
    });
    effect(() => this.chat.setActive(this.conversation()?.peer ?? null));
    inject(DestroyRef).onDestroy(() => this.chat.setActive(null));

    // What was last scrolled for: the thread (the route can switch it in place), its
    // length, and the newest message's state (a reason and its Retry appear below it).
    let shown = { peer: '', count: 0, tail: '' };
    afterRenderEffect(() => {
      const peer = this.conversation()?.peer ?? '';
      const count = this.days().reduce((sum, day) => sum + day.items.length, 0);
      const newest = this.days().at(-1)?.items.at(-1)?.message;
      const tail = newest === undefined ? '' : `${newest.id}:${newest.status}:${newest.error ?? ''}`;
      const element = this.scroller()?.nativeElement;
      if (element === undefined || (peer === shown.peer && count === shown.count && tail === shown.tail)) {
        return;
      }
      // Follow the conversation when opening it, after one's own message, or when reading
      // at the bottom; someone scrolled up into the history stays where they are.
      const opened = peer !== shown.peer;
      const latestIsMine = this.days().at(-1)?.items.at(-1)?.message.direction === 'out';
      if (opened || latestIsMine || this.atBottom) {
        element.scrollTop = element.scrollHeight;
        this.atBottom = true;
      }
      shown = { peer, count, tail };
    });
  }

  protected scrolled(element: HTMLElement): void {
    this.atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
  }

  protected send(text: string): void {
    const conversation = this.conversation();
    if (conversation !== null) {
      void this.chat.send(conversation.peer, text);
    }
  }

  protected retry(message: ChatMessage): void {
    void this.chat.retry(message.peer, message.id);
  }
}
