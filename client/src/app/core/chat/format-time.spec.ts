import { formatClock, formatFull, formatWhen } from './format-time';

// Local noon on 12 March 2025; Date() builds it in the test machine's time zone.
const NOW = new Date(2025, 2, 12, 12, 0).getTime();
const at = (day: number, hour: number, minute = 0) => new Date(2025, 2, day, hour, minute).getTime() / 1000;

describe(formatWhen.name, () => {
  it('shows the clock time for today', () => {
    expect(formatWhen(at(12, 9, 5), NOW, 'en-GB')).toBe('09:05');
    expect(formatWhen(at(12, 0, 1), NOW, 'en-US')).toBe('12:01 AM');
  });

  it('says "Yesterday", then the weekday within a week, then the date', () => {
    expect(formatWhen(at(11, 23, 59), NOW, 'en-GB')).toBe('Yesterday');
    expect(formatWhen(at(8, 10), NOW, 'en-GB')).toBe('Sat');
    expect(formatWhen(at(1, 10), NOW, 'en-GB')).toBe('1 Mar');
  });

  it('treats a time slightly in the future as today', () => {
    expect(formatWhen(at(12, 12, 1), NOW, 'en-GB')).toBe('12:01');
  });
});

describe(formatClock.name, () => {
  it('follows the locale', () => {
    expect(formatClock(at(12, 14, 5), 'en-GB')).toBe('14:05');
    expect(formatClock(at(12, 14, 5), 'en-US')).toBe('2:05 PM');
  });
});

describe(formatFull.name, () => {
  it('gives date and time', () => {
    expect(formatFull(at(12, 14, 5), 'en-GB')).toBe('12 Mar 2025, 14:05');
  });
});
