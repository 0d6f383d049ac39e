import { groupByDay } from './day-groups';
import type { ChatMessage } from './model';

const NOW = new Date(2025, 2, 12, 12, 0).getTime();
let order = 0;

function message(direction: 'in' | 'out', day: number, hour: number): ChatMessage {
  order += 1;
  const sentAt = new Date(2025, 2, day, hour).getTime() / 1000;
  return { id: `m${order}`, peer: 'p', direction, body: 'x', sentAt, order, status: direction === 'in' ? 'received' : 'sent' };
}

describe(groupByDay.name, () => {
  it('splits a thread by local day with friendly labels', () => {
    const groups = groupByDay([message('in', 1, 9), message('in', 11, 22), message('out', 12, 8), message('in', 12, 9)], NOW, 'en-GB');
    expect(groups.map((group) => [group.day, group.label, group.items.length])).toEqual([
      ['2025-03-01', '1 March 2025', 1],
      ['2025-03-11', 'Yesterday', 1],
      ['2025-03-12', 'Today', 2],
    ]);
  });

  it('marks where each run of one side starts, again after a day break', () => {
    const groups = groupByDay([message('in', 11, 9), message('in', 12, 9), message('in', 12, 10), message('out', 12, 11)], NOW);
    expect(groups.flatMap((group) => group.items.map((item) => item.startsRun))).toEqual([true, true, false, true]);
  });

  it('is empty for an empty thread', () => {
    expect(groupByDay([], NOW)).toEqual([]);
  });
});
