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

  it('says that no relay took it either, and that either path will do, when the relays were tried too', () => {
    const { waiting } = sendProblem(new ApiError('network', 0, 'network'), 'ws://relay.test/: blocked') as { waiting: string };
    expect(waiting).toBe(
      'Waiting for connection. No relay took it either (ws://relay.test/: blocked). It goes out by itself when the server or a relay takes it.',
    );
    expect(sendProblem(new ApiError('network', 0, 'network'))).toEqual({
      kind: 'waits',
      waiting: 'Waiting for connection. It goes out by itself when the server can be reached.',
    });
  });

  it('fails for good on anything that is not an answer from the server (e.g. sealing threw)', () => {
    expect(sendProblem(new Error('invalid key'))).toEqual({ kind: 'final' });
  });
});
