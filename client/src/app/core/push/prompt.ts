import type { PushStatus } from './web-push';

/**
 * The notification card the chat list shows (the first offer is made on the unlock
 * and register screens, see first-ask.ts):
 * - `home-screen`: iOS in a Safari tab, where push needs the app on the Home Screen;
 * - `off`: the dismissible nudge while notifications are off;
 * - `blocked`: refused in the browser, with how to undo it (never a new prompt);
 * - null: nothing to show.
 */
export type NotificationPrompt = 'home-screen' | 'off' | 'blocked' | null;

export interface PromptState {
  readonly status: PushStatus | 'loading';
  /** The first offer's prompt is open or its subscription under way: no card says "off" meanwhile. */
  readonly asking: boolean;
  readonly nudgeDismissed: boolean;
  readonly homeScreenNeeded: boolean;
  readonly homeScreenDismissed: boolean;
}

/** Which card to show; each can be dismissed for good, and none prompts by itself. */
export function notificationPrompt(state: PromptState): NotificationPrompt {
  if (state.homeScreenNeeded) {
    return state.homeScreenDismissed ? null : 'home-screen';
  }
  if (state.asking) {
    return null;
  }
  switch (state.status) {
    case 'off':
      return state.nudgeDismissed ? null : 'off';
    case 'blocked':
      return state.nudgeDismissed ? null : 'blocked';
    case 'on':
    case 'unsupported':
    case 'loading':
      return null;
  }
}
