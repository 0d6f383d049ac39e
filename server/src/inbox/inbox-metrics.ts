import { Injectable } from '@nestjs/common';

export interface InboxCounts {
  /** SSE streams open on this instance now. */
  openStreams: number;
  /** Messages stored (answered 201) since start. */
  messagesAccepted: number;
}

/** Counters of this instance's inbox, for the Ops module (metrics and NATS service stats). */
@Injectable()
export class InboxMetrics {
  private readonly counts: InboxCounts = { openStreams: 0, messagesAccepted: 0 };

  messageAccepted(): void {
    this.counts.messagesAccepted++;
  }

  streamOpened(): void {
    this.counts.openStreams++;
  }

  streamClosed(): void {
    this.counts.openStreams--;
  }

  snapshot(): Readonly<InboxCounts> {
    return { ...this.counts };
  }
}
