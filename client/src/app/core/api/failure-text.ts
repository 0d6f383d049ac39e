import { ApiError, type FailureCode } from './api-error';

// What people read when a call fails. The contract's own messages are written for
// developers; these say what happened and what to do, in the words of the screen
// the person is on.

export type FailureContext = 'register' | 'find' | 'send' | 'push';

const GENERAL: Record<FailureCode, string> = {
  bad_request: 'The server could not read that request. Reload the page and try again.',
  invalid_handle: 'Handles are 2–32 characters: letters a–z, digits, “_” and “-”, starting with a letter or digit.',
  reserved_handle: 'That handle is reserved. Please pick another one.',
  wrong_server: 'This app and the server disagree about the server’s name. Reload the page and try again.',
  invalid_key: 'Your identity key was not accepted by the server. Try creating a new identity.',
  unauthorized: 'The server did not accept this device’s signature. Reload the page and try again.',
  bad_signature: 'The server could not verify your signature. Reload the page and try again.',
  stale_timestamp: 'Your device’s clock is off. Set the correct time and try again.',
  not_found: 'Not found on this server.',
  handle_taken: 'That handle is already taken. Try another one.',
  primary_taken: 'Your identity already has a handle on this server.',
  payload_too_large: 'That is too large to send.',
  rate_limited: 'Too many attempts from your network.',
  internal_error: 'Something went wrong on the server. Try again in a moment.',
  unavailable: 'The server is having trouble right now. Try again in a moment.',
  network: 'Can’t reach the server. Check your connection and try again.',
  unexpected: 'The server gave an answer this app doesn’t understand. Try again later.',
};

const BY_CONTEXT: Record<FailureContext, Partial<Record<FailureCode, string>>> = {
  register: {
    wrong_server: 'This identity was signed up for another server’s name. Reload the page and try again.',
  },
  find: {
    invalid_handle: 'That doesn’t look like a handle. Type a name like “bob” or “bob@server”.',
    not_found: 'Nobody has that handle on this server.',
  },
  send: {
    not_found: 'This person’s handle no longer exists on the server.',
    payload_too_large: 'This message is too long to send. Split it into shorter ones.',
    rate_limited: 'You are sending messages very fast.',
  },
  push: {
    not_found: 'The server no longer knows your handle, so it cannot send you notifications.',
  },
};

function waitText(seconds: number | null): string {
  if (seconds === null) {
    return 'Wait a moment and try again.';
  }
  if (seconds < 90) {
    const whole = Math.max(1, Math.round(seconds));
    return `Try again in ${whole} second${whole === 1 ? '' : 's'}.`;
  }
  return `Try again in ${Math.round(seconds / 60)} minutes.`;
}

/** One sentence or two for any error a call can end with. */
export function failureText(error: unknown, context: FailureContext): string {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong. Try again.';
  }
  const text = BY_CONTEXT[context][error.code] ?? GENERAL[error.code];
  return error.code === 'rate_limited' ? `${text} ${waitText(error.retryAfter)}` : text;
}
