import { AUTH_REFUSED, type RelayStatus } from './relay-link';
import type { PoolStatus } from './relay-pool';

// The words of the relay indicator ("● live (N)") and of its popover, one line per
// relay, so every screen that shows relays says the same thing.

/** `live`: every relay is live; `partial`: some are; `connecting`: none yet, some trying; `down`: none; `none`: no relays listed. */
export type RelayIndicatorTone = 'live' | 'partial' | 'connecting' | 'down' | 'none';

export interface RelayIndicator {
  readonly text: string;
  readonly tone: RelayIndicatorTone;
  /** For screen readers and the tooltip: the whole picture in one sentence. */
  readonly label: string;
}

/** The indicator for the pool as a whole. */
export function relayIndicator(status: PoolStatus): RelayIndicator {
  const { live, total } = status;
  if (total === 0) {
    return { text: '○ no relays', tone: 'none', label: 'No nostr relays are set up; messages travel through the home server only.' };
  }
  if (live > 0) {
    return {
      text: `● live (${live})`,
      tone: live === total ? 'live' : 'partial',
      label: live === total ? `Connected to all ${total} relays.` : `Connected to ${live} of ${total} relays.`,
    };
  }
  if (status.relays.some((relay) => relay.state === 'connecting')) {
    return { text: '○ connecting…', tone: 'connecting', label: `Connecting to ${total === 1 ? 'the relay' : `${total} relays`}…` };
  }
  // "Cannot be reached" only when that is true: a relay that answers but refuses to sign us in is another story.
  if (status.relays.some((relay) => relay.state === 'auth-failed')) {
    return {
      text: '○ offline',
      tone: 'down',
      label: total === 1 ? 'The relay does not let us in; retrying.' : `None of the ${total} relays is usable now; retrying.`,
    };
  }
  return {
    text: '○ offline',
    tone: 'down',
    label: total === 1 ? 'The relay cannot be reached; retrying.' : `None of the ${total} relays can be reached; retrying.`,
  };
}

/** The relay's own words from an AUTH refusal: relay-link wraps them as `AUTH_REFUSED (…)`, which the line already says. */
function refusalWords(reason: string): string {
  const prefix = `${AUTH_REFUSED} (`;
  return reason.startsWith(prefix) && reason.endsWith(')') ? reason.slice(prefix.length, -1) : reason;
}

/** One popover line for a relay: its host and what is going on, with the relay's own reason when there is one. */
export function relayLine(status: RelayStatus): string {
  const host = status.url.replace(/^wss?:\/\//, '').replace(/\/$/, '');
  switch (status.state) {
    case 'live':
      return status.authenticatedAs === undefined ? `${host}: live` : `${host}: live, signed in`;
    case 'connecting':
      return `${host}: connecting…`;
    case 'auth-failed':
      return `${host}: refused to sign us in${status.reason ? ` (${refusalWords(status.reason)})` : ''}; trying again in a few minutes`;
    case 'down':
      return status.reason === 'stopped' ? `${host}: off` : `${host}: unreachable${status.reason ? ` (${status.reason})` : ''}; retrying`;
  }
}
