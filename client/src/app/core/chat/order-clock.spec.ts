import { OrderClock } from './order-clock';

describe(OrderClock.name, () => {
  it('follows the clock and never repeats', () => {
    const clock = new OrderClock(() => 1000);
    expect([clock.next(), clock.next(), clock.next()]).toEqual([1000, 1001, 1002]);
  });

  it('keeps growing when the clock is set back', () => {
    let now = 5000;
    const clock = new OrderClock(() => now);
    clock.next();
    now = 10;
    expect(clock.next()).toBe(5001);
  });

  it('continues after what storage held', () => {
    const clock = new OrderClock(() => 1);
    clock.seen(9000);
    expect(clock.next()).toBe(9001);
  });
});
