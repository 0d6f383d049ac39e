/** An announcement one instance makes about the handles it holds live streams for. */
export type PresenceNews =
  /** A first stream for these handles opened on the instance. */
  | { op: 'open'; handles: string[] }
  /** The last stream for these handles closed on the instance. */
  | { op: 'close'; handles: string[] }
  /**
   * One part of the instance's full list, generation `gen`; the list replaces the
   * previous one when the part with `last` arrives (a long list spans several messages).
   */
  | { op: 'all'; gen: number; handles: string[]; last: boolean };

interface InstanceEntry {
  handles: Set<string>;
  /** The full list being received, part by part; opens and closes apply to it too. */
  incoming?: { gen: number; handles: Set<string> };
  /** When anything was last heard from the instance (ms, the table's clock). */
  heardAt: number;
}

/**
 * Which other instances hold a live stream for which handle, as they announced
 * it. An instance that has not been heard from for `ttlMs` is forgotten with all
 * its streams: it crashed (or lost NATS), and a stream it held is gone with it or
 * will be announced again. Framework-free, with the clock passed in, so it can be
 * tested without NATS. Announcements of one instance arrive in the order it sent
 * them (NATS keeps one publisher's order), which is what makes the deltas safe.
 */
export class PresenceTable {
  private readonly instances = new Map<string, InstanceEntry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Applies `news` from `instance`; any news also says the instance is alive. */
  apply(instance: string, news: PresenceNews): void {
    let entry = this.instances.get(instance);
    if (!entry) {
      entry = { handles: new Set(), heardAt: 0 };
      this.instances.set(instance, entry);
    }
    entry.heardAt = this.now();
    const targets = [entry.handles, ...(entry.incoming ? [entry.incoming.handles] : [])];
    switch (news.op) {
      case 'open':
        targets.forEach((set) => news.handles.forEach((handle) => set.add(handle)));
        break;
      case 'close':
        targets.forEach((set) => news.handles.forEach((handle) => set.delete(handle)));
        break;
      case 'all': {
        if (entry.incoming?.gen !== news.gen) {
          entry.incoming = { gen: news.gen, handles: new Set() };
        }
        const incoming = entry.incoming;
        news.handles.forEach((handle) => incoming.handles.add(handle));
        if (news.last) {
          entry.handles = incoming.handles;
          entry.incoming = undefined;
        }
        break;
      }
    }
  }

  /** The live instances, other than `except`, that announced a stream for `handle`. */
  holders(handle: string, except: readonly string[] = []): string[] {
    const found: string[] = [];
    const now = this.now();
    for (const [instance, entry] of this.instances) {
      if (now - entry.heardAt > this.ttlMs) {
        this.instances.delete(instance);
      } else if (entry.handles.has(handle) && !except.includes(instance)) {
        found.push(instance);
      }
    }
    return found;
  }

  /** Instances heard from within the TTL (for figures and tests). */
  liveInstances(): string[] {
    const now = this.now();
    return [...this.instances].filter(([, entry]) => now - entry.heardAt <= this.ttlMs).map(([instance]) => instance);
  }
}

/** Splits a full list into `all` parts of at most `partSize` handles (one empty part for an empty list). */
export function fullListParts(gen: number, handles: readonly string[], partSize: number): PresenceNews[] {
  const parts: PresenceNews[] = [];
  for (let i = 0; i === 0 || i < handles.length; i += partSize) {
    const slice = handles.slice(i, i + partSize);
    parts.push({ op: 'all', gen, handles: slice, last: i + partSize >= handles.length });
  }
  return parts;
}
