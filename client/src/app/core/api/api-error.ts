import { type ErrorCode, isErrorCode } from '@kez/protocol';

/**
 * What a failed call to the home server came to: one of the contract's error codes,
 * `network` when no answer arrived (offline, server down, refused connection), or
 * `unexpected` for an answer that is not the contract's error JSON (e.g. a proxy page).
 */
export type FailureCode = ErrorCode | 'network' | 'unexpected';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: FailureCode,
    /** HTTP status, 0 when there was no answer. */
    readonly status: number,
    message: string,
    /** Seconds from a 429's Retry-After header. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export function isApiError(error: unknown, code?: FailureCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** Builds the ApiError for a non-2xx answer from its status, body and headers. */
export function errorFromResponse(status: number, body: unknown, retryAfterHeader: string | null): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code: FailureCode = isErrorCode(error?.code) ? error.code : 'unexpected';
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const seconds = retryAfterHeader === null ? Number.NaN : Number(retryAfterHeader);
  return new ApiError(code, status, message, Number.isFinite(seconds) && seconds >= 0 ? seconds : null);
}
