import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';

import { MalformedMessage, parseClientMessage } from './message-shape';

// Plain JSON fields, as the event arrives over the wire.
const event = JSON.parse(
  JSON.stringify(finalizeEvent({ kind: 1059, created_at: 1_764_000_000, tags: [['p', 'a'.repeat(64)]], content: 'x' }, generateSecretKey())),
) as ReturnType<typeof finalizeEvent>;
const parse = (value: unknown) => parseClientMessage(typeof value === 'string' ? value : JSON.stringify(value));
const failure = (value: unknown): MalformedMessage => {
  try {
    parse(value);
  } catch (error) {
    return error as MalformedMessage;
  }
  throw new Error('expected a MalformedMessage');
};

describe('parseClientMessage', () => {
  it('reads EVENT, AUTH, REQ and CLOSE, keeping only the NIP-01 fields of an event', () => {
    expect(parse(['EVENT', { ...event, extra: 'dropped' }])).toEqual(['EVENT', { ...event }]);
    expect(parse(['AUTH', event])).toEqual(['AUTH', { ...event }]);
    expect(parse(['REQ', 's1', { kinds: [1059], '#p': ['a'], since: 1, limit: 5 }, {}])).toEqual([
      'REQ',
      's1',
      { kinds: [1059], '#p': ['a'], since: 1, limit: 5 },
      {},
    ]);
    expect(parse(['CLOSE', 's1'])).toEqual(['CLOSE', 's1']);
  });

  it('answers a malformed event by its id, a malformed filter by its subscription, and anything else with a NOTICE text', () => {
    expect(failure(['EVENT', { ...event, kind: '1059' }])).toMatchObject({ eventId: event.id, message: expect.stringMatching(/^invalid:/) });
    expect(failure(['EVENT', { ...event, tags: [[1]] }])).toMatchObject({ eventId: event.id });
    expect(failure(['REQ', 's1', { kinds: ['x'] }])).toMatchObject({ subscriptionId: 's1', message: expect.stringMatching(/^invalid: filter field "kinds"/) });
    expect(failure(['REQ', 's1', { '&t': ['x'] }])).toMatchObject({ subscriptionId: 's1' });
    expect(failure(['REQ', 's1', { ids: ['not-hex'] }])).toMatchObject({ subscriptionId: 's1' });
    expect(failure(['REQ', 's1'])).toMatchObject({ subscriptionId: 's1' });
    expect(failure(['REQ', 's1', ...Array.from({ length: 11 }, () => ({}))])).toMatchObject({ subscriptionId: 's1' });
    expect(failure(['REQ', 'x'.repeat(65), {}])).toMatchObject({ subscriptionId: undefined });
    expect(failure('{"not":"an array"}').message).toMatch(/^invalid:/);
    expect(failure('[1]').message).toMatch(/^invalid:/);
    expect(failure('["COUNT","s",{}]').message).toMatch(/^invalid: unknown message type/);
    expect(failure('nope').message).toBe('invalid: not JSON');
  });
});
