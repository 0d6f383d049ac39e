import { ERROR_MESSAGES, type ErrorCode } from '@kez/protocol';

import { ApiError, type FailureCode } from './api-error';
import { type FailureContext, failureText } from './failure-text';

const CODES: FailureCode[] = [...(Object.keys(ERROR_MESSAGES) as ErrorCode[]), 'network', 'unexpected'];
const CONTEXTS: FailureContext[] = ['register', 'find', 'send'];

describe(failureText.name, () => {
  it.each(CONTEXTS)('has a plain message of its own for every code (%s)', (context) => {
    for (const code of CODES) {
      const text = failureText(new ApiError(code, 400, 'developer message'), context);
      expect(text).toMatch(/^[A-Z“].*[.!]$/);
      expect(text).not.toContain('developer message');
    }
  });

  it('speaks to the screen the person is on', () => {
    const notFound = new ApiError('not_found', 404, '');
    expect(failureText(notFound, 'find')).toBe('Nobody has that handle on this server.');
    expect(failureText(notFound, 'send')).not.toBe(failureText(notFound, 'find'));
  });

  it('says how long to wait when the server said', () => {
    expect(failureText(new ApiError('rate_limited', 429, '', 1), 'send')).toBe('You are sending messages very fast. Try again in 1 second.');
    expect(failureText(new ApiError('rate_limited', 429, '', 30), 'register')).toBe('Too many attempts from your network. Try again in 30 seconds.');
    expect(failureText(new ApiError('rate_limited', 429, '', 1800), 'register')).toBe('Too many attempts from your network. Try again in 30 minutes.');
    expect(failureText(new ApiError('rate_limited', 429, ''), 'register')).toBe('Too many attempts from your network. Wait a moment and try again.');
  });

  it('has a fallback for errors that are not from the API', () => {
    expect(failureText(new Error('boom'), 'send')).toBe('Something went wrong. Try again.');
  });
});
