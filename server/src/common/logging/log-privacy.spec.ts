import { configureLogPrivacy, logHandle } from './log-privacy';

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
