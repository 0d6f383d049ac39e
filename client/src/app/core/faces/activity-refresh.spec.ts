import { FakeTimers } from '../testing/fake-timers';
import { ActivityRefresh, newlyActive, REREAD_DELAYS_MS, REREAD_EVERY_MS } from './activity-refresh';

/** Lets the promise chains started by a timer or a call run to their end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ActivityRefresh', () => {
  function setup(opensAfterReads = Number.POSITIVE_INFINITY) {
    const timers = new FakeTimers();
    let now = 1_000_000;
    const reads: string[] = [];
    const refresh = new ActivityRefresh(
      {
        opensForUs: async () => reads.length >= opensAfterReads,
        reread: async (peer) => (reads.push(peer), reads.length >= opensAfterReads),
      },
      () => now,
      timers,
    );
    const advance = async (ms: number) => {
      now += ms;
      timers.advance(ms);
      await settle();
    };
    return { refresh, timers, reads, advance };
  }

  it('re-reads a peer whose profile does not open for us after each delay, and stops once it opens', async () => {
    const { refresh, timers, reads, advance } = setup(1);
    await refresh.noteActivity('alice');
    expect(timers.delays()).toEqual([REREAD_DELAYS_MS[0]]);
    expect(reads).toEqual([]);
    await advance(REREAD_DELAYS_MS[0]!);
    expect(reads).toEqual(['alice']);
    expect(timers.delays()).toEqual([]);
  });

  it('tries each delay of a round while the profile still has no wrap for us', async () => {
    const { refresh, timers, reads, advance } = setup();
    await refresh.noteActivity('alice');
    await advance(REREAD_DELAYS_MS[0]!);
    expect(timers.delays()).toEqual([REREAD_DELAYS_MS[1]! - REREAD_DELAYS_MS[0]!]);
    await advance(REREAD_DELAYS_MS[1]! - REREAD_DELAYS_MS[0]!);
    expect(reads).toEqual(['alice', 'alice']);
    expect(timers.delays()).toEqual([]);
  });

  it('starts at most one round per peer every REREAD_EVERY_MS; other peers are apart', async () => {
    const { refresh, reads, advance } = setup();
    const count = (peer: string) => reads.filter((read) => read === peer).length;
    await refresh.noteActivity('alice');
    await refresh.noteActivity('alice');
    await refresh.noteActivity('carol');
    for (const [i, at] of REREAD_DELAYS_MS.entries()) {
      await advance(at - (REREAD_DELAYS_MS[i - 1] ?? 0));
    }
    expect(count('alice')).toBe(REREAD_DELAYS_MS.length);
    expect(count('carol')).toBe(REREAD_DELAYS_MS.length);
    await advance(REREAD_EVERY_MS - REREAD_DELAYS_MS.at(-1)! - 1);
    await refresh.noteActivity('alice');
    await advance(REREAD_EVERY_MS);
    expect(count('alice')).toBe(REREAD_DELAYS_MS.length);
    await refresh.noteActivity('alice');
    await advance(REREAD_DELAYS_MS[0]!);
    expect(count('alice')).toBe(REREAD_DELAYS_MS.length + 1);
  });

  it('does nothing for a peer whose cached profile already opens for us', async () => {
    const { refresh, timers, reads } = setup(0);
    await refresh.noteActivity('alice');
    expect(timers.delays()).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('stop cancels waiting re-reads and ignores later activity', async () => {
    const { refresh, timers, reads, advance } = setup();
    await refresh.noteActivity('alice');
    refresh.stop();
    await refresh.noteActivity('carol');
    expect(timers.delays()).toEqual([]);
    await advance(REREAD_EVERY_MS);
    expect(reads).toEqual([]);
  });
});

describe('newlyActive', () => {
  it('names the conversations past the watermark and raises it', () => {
    const conversations = [
      { peer: 'alice', lastOrder: 7 },
      { peer: 'bob', lastOrder: 3 },
      { peer: 'carol', lastOrder: 5 },
    ];
    expect(newlyActive(conversations, 4)).toEqual({ peers: ['alice', 'carol'], watermark: 7 });
    expect(newlyActive(conversations, 7)).toEqual({ peers: [], watermark: 7 });
    expect(newlyActive([], 7)).toEqual({ peers: [], watermark: 7 });
  });
});
