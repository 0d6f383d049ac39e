import { parseWorkerMessage } from './worker-message';

describe('parseWorkerMessage', () => {
  it('reads the three messages of kez-worker.js', () => {
    expect(parseWorkerMessage({ kez: 'push' })).toBe('push');
    expect(parseWorkerMessage({ kez: 'open-chats' })).toBe('open-chats');
    expect(parseWorkerMessage({ kez: 'subscription-changed' })).toBe('subscription-changed');
  });

  it('ignores everything else, such as Angular worker messages', () => {
    expect(parseWorkerMessage({ type: 'VERSION_READY' })).toBeNull();
    expect(parseWorkerMessage({ kez: 'reload' })).toBeNull();
    expect(parseWorkerMessage('push')).toBeNull();
    expect(parseWorkerMessage(null)).toBeNull();
  });
});
