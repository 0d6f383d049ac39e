import { unreadBadge } from './unread';

describe(unreadBadge.name, () => {
  it.each([
    [0, ''],
    [-1, ''],
    [1, '1'],
    [99, '99'],
    [100, '99+'],
    [12345, '99+'],
  ])('shows %i as "%s"', (count, badge) => {
    expect(unreadBadge(count)).toBe(badge);
  });
});
