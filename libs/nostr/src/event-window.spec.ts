import { checkEventTime, EVENT_MAX_AGE_SECONDS, EVENT_MAX_FUTURE_SECONDS, NIP59_BACKDATE_SECONDS, subscriptionSince } from './event-window';

const NOW = 1_800_000_000;

describe(checkEventTime.name, () => {
  it('keeps a KEZ event up to 48 h old and up to 5 minutes ahead', () => {
    expect(checkEventTime(NOW - EVENT_MAX_AGE_SECONDS, NOW, 4243)).toBe('ok');
    expect(checkEventTime(NOW + EVENT_MAX_FUTURE_SECONDS, NOW, 4244)).toBe('ok');
  });

  it('drops a KEZ event older than 48 h or more than 5 minutes ahead', () => {
    expect(checkEventTime(NOW - EVENT_MAX_AGE_SECONDS - 1, NOW, 4243)).toBe('stale');
    expect(checkEventTime(NOW + EVENT_MAX_FUTURE_SECONDS + 1, NOW, 4243)).toBe('future');
  });

  it('widens the window of gift wraps and seals by their NIP-59 back-dating', () => {
    expect(checkEventTime(NOW - EVENT_MAX_AGE_SECONDS - NIP59_BACKDATE_SECONDS, NOW, 1059)).toBe('ok');
    expect(checkEventTime(NOW - EVENT_MAX_AGE_SECONDS - NIP59_BACKDATE_SECONDS - 1, NOW, 1059)).toBe('stale');
    expect(checkEventTime(NOW - EVENT_MAX_AGE_SECONDS - 1, NOW, 13)).toBe('ok');
    expect(checkEventTime(NOW + EVENT_MAX_FUTURE_SECONDS + 1, NOW, 1059)).toBe('future');
  });
});

describe(subscriptionSince.name, () => {
  it('looks back 48 h on a first start', () => {
    expect(subscriptionSince(undefined, NOW)).toBe(NOW - EVENT_MAX_AGE_SECONDS);
  });

  it('resumes from the newest event seen minus the margin', () => {
    expect(subscriptionSince(NOW - 3600, NOW, 600)).toBe(NOW - 4200);
  });

  it('never looks back further than 48 h however old the newest event', () => {
    expect(subscriptionSince(NOW - 10 * 86_400, NOW)).toBe(NOW - EVENT_MAX_AGE_SECONDS);
  });

  it('reaches back over the back-dating for gift wraps', () => {
    expect(subscriptionSince(undefined, NOW, 600, true)).toBe(NOW - EVENT_MAX_AGE_SECONDS - NIP59_BACKDATE_SECONDS);
    expect(subscriptionSince(NOW - 60, NOW, 600, true)).toBe(NOW - 660 - NIP59_BACKDATE_SECONDS);
  });
});
