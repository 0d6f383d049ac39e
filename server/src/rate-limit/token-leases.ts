/** Sizes of the leases one instance takes from shared buckets (docs/adr/0001-cluster-rate-limit.md). */
export interface LeaseOptions {
  /** How long leased tokens may stay unspent here before they go back to the shared bucket, in ms. */
  lifetimeMs: number;
  /** Most tokens one lease holds, whatever the key's rate. */
  maxTokens: number;
}

/** One key's lease on this instance. */
interface Lease {
  /** Whole tokens taken from the shared bucket and not spent yet. */
  tokens: number;
  /** Tokens the last grant added: a lease down to half of it is refilled ahead of need. */
  granted: number;
  /** When the unspent tokens go back (ms); moved on by every grant. */
  expiresAt: number;
  /** Tokens this key used here (leased or decided by the shared bucket) since `since`. */
  used: number;
  /** Time of the last shared take for this key (ms). */
  since: number;
}

/** Unspent tokens of an ended lease, to give back to the shared bucket `key`. */
export interface EndedLease {
  key: string;
  tokens: number;
}

/**
 * Tokens this instance took ahead from the cluster's shared buckets, per key,
 * and spends without a round trip. A key gets a lease only once it has shown a
 * rate here: the first take of a key asks for none (a client's single request
 * costs what it did without leases), later ones ask for what the key used over
 * the time since the last shared take, scaled to one lifetime and capped. So a
 * busy client's requests are decided locally, a quiet one's exactly at the
 * shared bucket, and what one instance holds back from the others is bounded
 * by `maxTokens` for at most `lifetimeMs`.
 *
 * Pure bookkeeping: the store takes and returns the tokens; `now` is passed in (ms).
 */
export class TokenLeases {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly options: LeaseOptions) {}

  /** Keys with a lease here (live or waiting to be ended). */
  get size(): number {
    return this.leases.size;
  }

  /** Spends one leased token of `key`; false when none is left or the lease has run out its lifetime. */
  spend(key: string, now: number): boolean {
    const lease = this.leases.get(key);
    if (!lease || lease.tokens < 1 || now >= lease.expiresAt) {
      return false;
    }
    lease.tokens--;
    lease.used++;
    return true;
  }

  /** Whether `key`'s lease is down to half of its last grant, so a refill now saves a later request the wait. */
  low(key: string): boolean {
    const lease = this.leases.get(key);
    return !!lease && lease.granted > 0 && lease.tokens <= lease.granted / 2;
  }

  /**
   * Tokens to ask for ahead with the next shared take of `key`: what the key used
   * here since the last shared take, as a rate, over one lifetime; 0 for a key
   * with no recent shared take here.
   */
  wanted(key: string, now: number): number {
    const lease = this.leases.get(key);
    if (!lease) {
      return 0;
    }
    const perMs = lease.used / Math.max(1, now - lease.since);
    return Math.min(this.options.maxTokens, Math.ceil(perMs * this.options.lifetimeMs));
  }

  /** Records a shared take of `key` at `now`: `used` tokens decided there for waiting requests, `leased` more to spend here. */
  granted(key: string, now: number, used: number, leased: number): void {
    const lease = this.leases.get(key) ?? { tokens: 0, granted: 0, expiresAt: 0, used: 0, since: now };
    lease.tokens += leased;
    lease.granted = leased;
    lease.expiresAt = now + this.options.lifetimeMs;
    lease.used = used;
    lease.since = now;
    this.leases.set(key, lease);
  }

  /** Forgets the leases past their lifetime at `now`, and answers the ones with tokens left to give back. */
  expire(now: number): EndedLease[] {
    const ended: EndedLease[] = [];
    for (const [key, lease] of this.leases) {
      if (now >= lease.expiresAt) {
        this.leases.delete(key);
        if (lease.tokens >= 1) {
          ended.push({ key, tokens: lease.tokens });
        }
      }
    }
    return ended;
  }

  /** Forgets every lease (at shutdown), and answers the ones with tokens left to give back. */
  endAll(): EndedLease[] {
    const ended = [...this.leases].filter(([, lease]) => lease.tokens >= 1).map(([key, lease]) => ({ key, tokens: lease.tokens }));
    this.leases.clear();
    return ended;
  }
}
