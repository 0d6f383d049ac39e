import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

import { logEndpoint, logHandle } from '../common/logging/log-privacy';
import { BoundedQueue } from './bounded-queue';
import { nextStep } from './delivery-policy';
import { PushMetrics } from './push-metrics';
import { PUSH_CONCURRENCY, PushSender } from './push-sender';
import { PushSubscriptionStore, type SubscriptionSnapshot } from './push-subscription-store';

/** Pushes waiting for a free sender; beyond it new ones are dropped (and counted). */
export const PUSH_QUEUE_CAPACITY = 20_000;
/** At most one "queue full" warning per this interval. */
const DROP_WARNING_INTERVAL_MS = 60_000;

interface PushJob {
  subscription: SubscriptionSnapshot;
  attempt: number;
}

/**
 * Wakes a handle's devices: one empty, high-urgency push to each of its
 * subscriptions, through a bounded queue with at most 32 requests in flight.
 * Callers never wait for it and it never throws at them.
 */
@Injectable()
export class PushNotifier implements OnModuleDestroy {
  private readonly logger = new Logger(PushNotifier.name);
  private readonly queue = new BoundedQueue(PUSH_CONCURRENCY, PUSH_QUEUE_CAPACITY, (error) => this.logger.error(`push task failed: ${String(error)}`));
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Push services (by host) whose VAPID rejection was already logged. */
  private readonly vapidRejections = new Set<string>();
  private lastDropWarning = 0;
  private closed = false;

  constructor(
    private readonly store: PushSubscriptionStore,
    private readonly sender: PushSender,
    private readonly metrics: PushMetrics,
  ) {}

  /** Starts the pushes for one event (a stored message nobody streamed, a nostr DM) and returns at once. */
  notify(handle: string): void {
    this.fanout(handle).catch((error: unknown) => this.logger.error(`push fanout for ${logHandle(handle)} failed: ${String(error)}`));
  }

  /** Requests in flight and pushes waiting, for the Ops module. */
  load(): { inFlight: number; queued: number; retryScheduled: number } {
    return { inFlight: this.queue.running, queued: this.queue.queued, retryScheduled: this.retryTimers.size };
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.queue.clear();
    for (const timer of this.retryTimers) {
      clearTimeout(timer);
    }
    this.retryTimers.clear();
  }

  private async fanout(handle: string): Promise<void> {
    const subscriptions = await this.store.listForHandle(handle);
    for (const { id, endpoint, p256dh, auth } of subscriptions) {
      this.enqueue({ subscription: { id, handle, endpoint, p256dh, auth }, attempt: 1 });
    }
  }

  private enqueue(job: PushJob): void {
    if (this.closed) {
      return;
    }
    if (!this.queue.offer(() => this.attempt(job))) {
      this.metrics.add('dropped');
      const now = Date.now();
      if (now - this.lastDropWarning >= DROP_WARNING_INTERVAL_MS) {
        this.lastDropWarning = now;
        this.logger.warn(`push queue full (${PUSH_QUEUE_CAPACITY} waiting): dropping pushes`);
      }
    }
  }

  private async attempt(job: PushJob): Promise<void> {
    const { subscription } = job;
    const step = nextStep(await this.sender.send(subscription.endpoint), job.attempt);
    switch (step.action) {
      case 'delivered':
        this.metrics.add('sent');
        return;
      case 'expired':
        if (await this.store.removeIfUnchanged(subscription)) {
          this.metrics.add('expired');
          this.logger.log(`push subscription ${logEndpoint(subscription.endpoint)} of ${logHandle(subscription.handle)} is gone; deleted`);
        }
        return;
      case 'retry':
        this.metrics.add('retried');
        this.retryLater({ subscription, attempt: job.attempt + 1 }, step.delayMs);
        return;
      case 'failed':
        this.metrics.add('failed');
        if (step.vapid) {
          this.reportVapidRejection(subscription.endpoint, step.reason);
        } else {
          this.logger.warn(`push to ${logEndpoint(subscription.endpoint)} failed after ${job.attempt} attempt(s): ${step.reason}`);
        }
        return;
    }
  }

  private retryLater(job: PushJob, delayMs: number): void {
    if (this.closed) {
      return;
    }
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.enqueue(job);
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** A push service refusing our VAPID JWT is a configuration problem no retry fixes: say so loudly, once per service. */
  private reportVapidRejection(endpoint: string, reason: string): void {
    let host = endpoint;
    try {
      host = new URL(endpoint).host;
    } catch {
      // keep the raw value as the key; it is never logged
    }
    if (this.vapidRejections.has(host)) {
      return;
    }
    this.vapidRejections.add(host);
    this.logger.error(
      `push service ${host} rejects this server's VAPID credentials (${reason}); check KEZ_CHAT_VAPID_SUBJECT ` +
        `and that every instance uses the same VAPID key file. Pushes to it will fail until this is fixed.`,
    );
  }
}
