import { Injectable, Logger } from '@nestjs/common';

import { logHandle } from '../common/logging/log-privacy';
import { Broker, type InboxEvent, type InboxListener, type MissedListener, type Unsubscribe } from './broker';

/** The broker of a single instance: a map from handle to the listeners of its open streams. */
@Injectable()
export class LocalBroker extends Broker {
  private readonly logger = new Logger(LocalBroker.name);
  private readonly listeners = new Map<string, Set<InboxListener>>();

  publish(handle: string, event: InboxEvent): Promise<boolean> {
    return Promise.resolve(this.deliver(handle, event));
  }

  subscribe(handle: string, listener: InboxListener): Promise<Unsubscribe> {
    let set = this.listeners.get(handle);
    if (!set) {
      set = new Set();
      this.listeners.set(handle, set);
    }
    set.add(listener);
    return Promise.resolve(() => {
      const current = this.listeners.get(handle);
      if (current?.delete(listener) && current.size === 0) {
        this.listeners.delete(handle);
      }
    });
  }

  /** One instance: every push decision is made by the publisher, so nothing is ever handed over. */
  onMissed(listener: MissedListener): void {
    void listener;
  }

  /** Whether this instance holds a live stream for `handle`. */
  hasListeners(handle: string): boolean {
    return (this.listeners.get(handle)?.size ?? 0) > 0;
  }

  /** Calls this instance's listeners synchronously, so they see one handle's events in publish order. */
  deliver(handle: string, event: InboxEvent): boolean {
    const set = this.listeners.get(handle);
    if (!set || set.size === 0) {
      return false;
    }
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        // One broken stream must not keep the message from the others.
        this.logger.error(`a stream of ${logHandle(handle)} failed to take seq ${event.seq}: ${String(error)}`);
      }
    }
    return true;
  }
}
