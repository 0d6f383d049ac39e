import { ERROR_MESSAGES, ERROR_STATUS, type ErrorCode } from '@kez/protocol';

/**
 * A failure the contract names. Services throw it; the global filter turns it
 * into `{"error":{"code","message"}}` with the code's status and any headers.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
