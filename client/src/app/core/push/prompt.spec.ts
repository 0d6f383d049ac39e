import { notificationPrompt, type PromptState } from './prompt';

const base: PromptState = { status: 'off', asking: false, nudgeDismissed: false, homeScreenNeeded: false, homeScreenDismissed: false };

describe('notificationPrompt', () => {
  it('nudges while off, then stays quiet once dismissed', () => {
    expect(notificationPrompt(base)).toBe('off');
    expect(notificationPrompt({ ...base, nudgeDismissed: true })).toBeNull();
  });

  it('says nothing while the first offer is still being answered or subscribing', () => {
    expect(notificationPrompt({ ...base, asking: true })).toBeNull();
    expect(notificationPrompt({ ...base, status: 'blocked', asking: true })).toBeNull();
  });

  it('shows nothing while on or still checking', () => {
    expect(notificationPrompt({ ...base, status: 'on' })).toBeNull();
    expect(notificationPrompt({ ...base, status: 'loading' })).toBeNull();
    expect(notificationPrompt({ ...base, status: 'unsupported' })).toBeNull();
  });

  it('never asks after a refusal: it says how to undo it, until dismissed', () => {
    expect(notificationPrompt({ ...base, status: 'blocked' })).toBe('blocked');
    expect(notificationPrompt({ ...base, status: 'blocked', nudgeDismissed: true })).toBeNull();
  });

  it('puts the Home Screen hint first on iOS tabs', () => {
    expect(notificationPrompt({ ...base, homeScreenNeeded: true })).toBe('home-screen');
    expect(notificationPrompt({ ...base, homeScreenNeeded: true, homeScreenDismissed: true })).toBeNull();
  });
});
