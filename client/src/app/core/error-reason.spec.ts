import { errorReason } from './error-reason';

describe('errorReason', () => {
  it('gives the message without its final full stop, to sit inside a sentence', () => {
    expect(errorReason(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe('The quota has been exceeded');
    expect(errorReason(new Error('the identity is locked'))).toBe('the identity is locked');
  });

  it('gives null when there is nothing to say', () => {
    expect(errorReason(new Error(''))).toBeNull();
    expect(errorReason('a string')).toBeNull();
    expect(errorReason(undefined)).toBeNull();
  });
});
