import type { InboxEvent } from './broker';
import { LocalBroker } from './local-broker';

const event = (seq: number): InboxEvent => ({ seq, prev: seq - 1, envelope: { seq }, created_at: 1 });

describe(LocalBroker.name, () => {
  it('delivers to every subscriber of the handle, in publish order, and says whether anyone took it', async () => {
    const broker = new LocalBroker();
    const first: number[] = [];
    const second: number[] = [];
    await broker.subscribe('bob', (e) => first.push(e.seq));
    await broker.subscribe('bob', (e) => second.push(e.seq));
    expect(await broker.publish('bob', event(1))).toBe(true);
    expect(await broker.publish('bob', event(2))).toBe(true);
    expect(await broker.publish('carol', event(3))).toBe(false);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });

  it('stops delivering after unsubscribe, and forgets a handle with no subscribers', async () => {
    const broker = new LocalBroker();
    const seen: number[] = [];
    const unsubscribe = await broker.subscribe('bob', (e) => seen.push(e.seq));
    unsubscribe();
    unsubscribe();
    expect(await broker.publish('bob', event(1))).toBe(false);
    expect(seen).toEqual([]);
  });

  it('keeps delivering to the others when one listener throws', async () => {
    const broker = new LocalBroker();
    const seen: number[] = [];
    await broker.subscribe('bob', () => {
      throw new Error('broken stream');
    });
    await broker.subscribe('bob', (e) => seen.push(e.seq));
    expect(await broker.publish('bob', event(1))).toBe(true);
    expect(seen).toEqual([1]);
  });
});
