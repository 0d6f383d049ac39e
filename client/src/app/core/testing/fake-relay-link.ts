import { finalizeEvent, generateSecretKey, type NostrEvent } from 'nostr-tools/pure';

import type { PublishOutcome, RelayLinkLike, RelayLinkOptions, RelayStatus, RelaySubscriptionSpec } from '../nostr/relay-link';
import { RelayPool } from '../nostr/relay-pool';

const options: RelayLinkOptions = { signAuth: (template) => finalizeEvent(template, generateSecretKey()) };

/** A link that records calls and answers publishes as scripted; the test drives its events and status. */
export class FakeLink implements RelayLinkLike {
  status: RelayStatus;
  readonly calls: string[] = [];
  readonly specs = new Map<string, RelaySubscriptionSpec>();
  answer: PublishOutcome | undefined;
  private readonly eventListeners = new Set<(event: NostrEvent, subscriptionId: string, relay: string) => void>();
  private readonly statusListeners = new Set<(status: RelayStatus) => void>();

  constructor(
    readonly url: string,
    private readonly log: string[],
  ) {
    this.status = { url, state: 'down', reason: 'not started' };
  }

  onEvent(listener: (event: NostrEvent, subscriptionId: string, relay: string) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: RelayStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    this.calls.push('start');
    this.setState('live');
  }

  stop(): void {
    this.calls.push('stop');
    this.setState('down');
  }

  subscribe(spec: RelaySubscriptionSpec): void {
    this.specs.set(spec.id, spec);
  }

  unsubscribe(id: string): void {
    this.specs.delete(id);
  }

  async publish(): Promise<PublishOutcome> {
    this.log.push(this.url);
    return this.answer ?? { ok: true, relay: this.url, message: '' };
  }

  async query(): Promise<NostrEvent[]> {
    return this.stored;
  }

  stored: NostrEvent[] = [];

  emit(event: NostrEvent, subscriptionId = 'kez'): void {
    for (const listener of this.eventListeners) {
      listener(event, subscriptionId, this.url);
    }
  }

  setState(state: RelayStatus['state']): void {
    this.status = { url: this.url, state };
    for (const listener of this.statusListeners) {
      listener(this.status);
    }
  }
}

/** A RelayPool whose links are FakeLinks (by URL), and the order in which they were published to. */
export function poolWithFakes(now = () => 1_800_000_000): { pool: RelayPool; links: Map<string, FakeLink>; publishOrder: string[] } {
  const links = new Map<string, FakeLink>();
  const publishOrder: string[] = [];
  const pool = new RelayPool({ ...options, now }, (url) => {
    const link = new FakeLink(url, publishOrder);
    links.set(url, link);
    return link;
  });
  return { pool, links, publishOrder };
}
