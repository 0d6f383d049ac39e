import { AUTH_REFUSED, type RelayStatus } from './relay-link';
import { relayIndicator, relayLine } from './relay-status-text';

const live: RelayStatus = { url: 'wss://a.example/', state: 'live' };
const connecting: RelayStatus = { url: 'wss://b.example/', state: 'connecting' };
const down: RelayStatus = { url: 'wss://c.example/', state: 'down', reason: 'cannot connect' };

describe(relayIndicator.name, () => {
  it('counts live relays and tells all from some', () => {
    expect(relayIndicator({ live: 2, total: 2, relays: [live, live] })).toEqual({ text: '● live (2)', tone: 'live', label: 'Connected to all 2 relays.' });
    expect(relayIndicator({ live: 1, total: 3, relays: [live, connecting, down] })).toEqual({
      text: '● live (1)',
      tone: 'partial',
      label: 'Connected to 1 of 3 relays.',
    });
  });

  it('tells connecting from offline from no relays at all', () => {
    expect(relayIndicator({ live: 0, total: 2, relays: [connecting, down] }).tone).toBe('connecting');
    expect(relayIndicator({ live: 0, total: 1, relays: [down] })).toEqual({ text: '○ offline', tone: 'down', label: 'The relay cannot be reached; retrying.' });
    expect(relayIndicator({ live: 0, total: 2, relays: [down, down] }).label).toBe('None of the 2 relays can be reached; retrying.');
    expect(relayIndicator({ live: 0, total: 0, relays: [] }).tone).toBe('none');
  });

  it('does not call a relay that refused to sign us in unreachable', () => {
    const refused: RelayStatus = { url: 'wss://d.example/', state: 'auth-failed', reason: 'the relay refused our AUTH (restricted: members only)' };
    expect(relayIndicator({ live: 0, total: 2, relays: [refused, down] })).toEqual({
      text: '○ offline',
      tone: 'down',
      label: 'None of the 2 relays is usable now; retrying.',
    });
    expect(relayIndicator({ live: 0, total: 1, relays: [refused] }).label).toBe('The relay does not let us in; retrying.');
  });
});

describe(relayLine.name, () => {
  it('names the host, the state and the relay reason', () => {
    expect(relayLine(live)).toBe('a.example: live');
    expect(relayLine({ ...live, authenticatedAs: 'f'.repeat(64) })).toBe('a.example: live, signed in');
    expect(relayLine(connecting)).toBe('b.example: connecting…');
    expect(relayLine(down)).toBe('c.example: unreachable (cannot connect); retrying');
    expect(relayLine({ url: 'ws://127.0.0.1:7000/', state: 'down', reason: 'stopped' })).toBe('127.0.0.1:7000: off');
    expect(relayLine({ url: 'wss://d.example/', state: 'auth-failed', reason: 'restricted: members only' })).toBe(
      'd.example: refused to sign us in (restricted: members only); trying again in a few minutes',
    );
    // As relay-link words it: the relay's own reason once, not "refused … (the relay refused our AUTH (…))".
    expect(relayLine({ url: 'wss://d.example/', state: 'auth-failed', reason: `${AUTH_REFUSED} (restricted: members only)` })).toBe(
      'd.example: refused to sign us in (restricted: members only); trying again in a few minutes',
    );
  });
});
