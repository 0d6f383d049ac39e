import { configureLogPrivacy, logEndpoint, logHandle } from './log-privacy';

describe(logHandle.name, () => {
  it('hashes handles at info and above, stably within the process', () => {
    configureLogPrivacy('log');
    expect(logHandle('alice')).toMatch(/^h:[0-9a-f]{12}$/);
    expect(logHandle('alice')).toBe(logHandle('alice'));
    expect(logHandle('alice')).not.toBe(logHandle('bob'));
    expect(logHandle('alice')).not.toContain('alice');
  });

  it('shows handles in clear at debug', () => {
    configureLogPrivacy('debug');
    expect(logHandle('alice')).toBe('alice');
    configureLogPrivacy('log');
  });
});

describe(logEndpoint.name, () => {
  it('shows the push service host and hashes the rest, even at debug', () => {
    const endpoint = 'https://fcm.googleapis.com/fcm/send/secret-token-123';
    for (const level of ['log', 'debug'] as const) {
      configureLogPrivacy(level);
      expect(logEndpoint(endpoint)).toMatch(/^fcm\.googleapis\.com\/e:[0-9a-f]{12}$/);
      expect(logEndpoint(endpoint)).not.toContain('secret-token');
    }
    configureLogPrivacy('log');
    expect(logEndpoint(endpoint)).not.toBe(logEndpoint(`${endpoint}4`));
    expect(logEndpoint('not a url')).toMatch(/^\?\/e:[0-9a-f]{12}$/);
  });
});
