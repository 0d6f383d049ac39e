import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

import { Avatar } from '../../shared/avatar';
import { formatClock, formatFull } from '../../core/chat/format-time';
import type { ChatMessage, MessageStatus } from '../../core/chat/model';

const STATUS_LABELS: Record<MessageStatus, string> = {
  queued: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not sent',
  received: '',
};

/** One message: a bubble that fits its text, the time inline at the bottom right, and the delivery state. */
@Component({
  selector: 'kez-message-bubble',
  templateUrl: './message-bubble.html',
  styleUrl: './message-bubble.css',
  imports: [Avatar],
  host: {
    '[class.out]': "message().direction === 'out'",
    '[class.starts-run]': 'startsRun()',
    '[class.with-face]': "sender() !== null && message().direction === 'in'",
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageBubble {
  readonly message = input.required<ChatMessage>();
  readonly startsRun = input(true);
  /** The sender of incoming messages, whose face starts each run; null shows none. */
  readonly sender = input<{ readonly primary: string; readonly handle: string | null } | null>(null);
  readonly retry = output<void>();

  protected readonly time = computed(() => formatClock(this.message().sentAt));
  protected readonly fullTime = computed(() => formatFull(this.message().sentAt));
  protected readonly isoTime = computed(() => new Date(this.message().sentAt * 1000).toISOString());
  protected readonly statusLabel = computed(() => STATUS_LABELS[this.message().status]);
  /** The "via …" line: the path that took an outgoing message first, as a host name. */
  protected readonly via = computed(() => viaText(this.message().via));
}

/** `home` → "via home server"; a relay URL → "via relay.example.org"; undefined → no line. */
export function viaText(via: string | undefined): string | null {
  if (via === undefined) {
    return null;
  }
  if (via === 'home') {
    return 'via home server';
  }
  try {
    return `via ${new URL(via).host}`;
  } catch {
    return `via ${via}`;
  }
}
