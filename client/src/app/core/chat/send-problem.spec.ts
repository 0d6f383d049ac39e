import { ApiError } from '../api/api-error';
import { sendProblem } from './send-problem';

describe('sendProblem', () => {
  it.each([
    ['network', 0],
    ['unexpected', 502],
    ['unavailable', 503],
    ['internal_error', 500],
    ['rate_limited', 429],
  ] as const)('lets a message wait after %s', (code, status) => {
    expect(sendProblem(new ApiError(code, status, code))).toEqual({ kind: 'waits', waiting: expect.stringContaining('by itself') });
  });

  it.each([
    ['not_found', 404],
    ['payload_too_large', 413],
    ['bad_request', 400],
    ['invalid_handle', 400],
  ] as const)('fails a message for good after %s', (code, status) => {
    expect(sendProblem(new ApiError(code, status, code))).toEqual({ kind: 'final' });
  });

  it('fails for good on anything that is not an answer from the server (e.g. sealing threw)', () => {
    expect(sendProblem(new Error('invalid key'))).toEqual({ kind: 'final' });
  });
});
