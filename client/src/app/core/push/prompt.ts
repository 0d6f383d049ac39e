import type { PushStatus } from './web-push';

/**
 * The notification card the chat list shows:
 * - `home-screen`: iOS in a Safari tab, where push needs the app on the Home Screen;
 * - `ask`: the first ask, with its explanation, until answered;
 * - `off`: the dismissible nudge while notifications are off;
 * - `blocked`: refused in the browser, with how to undo it (never a new prompt);
 * - null: nothing to show.
 */
export type NotificationPrompt = 'home-screen' | 'ask' | 'off' | 'blocked' | null;

export interface PromptState {
  readonly status: PushStatus | 'loading';
  /** The first ask was answered (turned on, or "Not now"). */
  readonly asked: boolean;
  readonly nudgeDismissed: boolean;
  readonly homeScreenNeeded: boolean;
  readonly homeScreenDismissed: boolean;
}

/** Which card to show; each can be dismissed for good, and none asks twice. */
export function notificationPrompt(state: PromptState): NotificationPrompt {
  if (state.homeScreenNeeded) {
    return state.homeScreenDismissed ? null : 'home-screen';
  }
  switch (state.status) {
    case 'off':
      return !state.asked ? 'ask' : state.nudgeDismissed ? null : 'off';
    case 'blocked':
      return state.nudgeDismissed ? null : 'blocked';
    case 'on':
    case 'unsupported':
    case 'loading':
      return null;
  }
}
