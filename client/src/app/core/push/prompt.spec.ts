import { notificationPrompt, type PromptState } from './prompt';

const base: PromptState = { status: 'off', asked: false, nudgeDismissed: false, homeScreenNeeded: false, homeScreenDismissed: false };

describe('notificationPrompt', () => {
  it('asks first, then nudges, then stays quiet once dismissed', () => {
    expect(notificationPrompt(base)).toBe('ask');
    expect(notificationPrompt({ ...base, asked: true })).toBe('off');
    expect(notificationPrompt({ ...base, asked: true, nudgeDismissed: true })).toBeNull();
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
