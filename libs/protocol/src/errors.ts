/** Every error code of the contract, with the HTTP status it travels with. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_handle: 400,
  reserved_handle: 400,
  wrong_server: 400,
  invalid_key: 400,
  unauthorized: 401,
  bad_signature: 401,
  stale_timestamp: 401,
  not_found: 404,
  handle_taken: 409,
  primary_taken: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Default plain-English messages; callers may give a more precise one. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  bad_request: 'The request is malformed.',
  invalid_handle: 'Handles are 2–32 characters of a–z, 0–9, "_" and "-", starting with a letter or digit.',
  reserved_handle: 'This handle is reserved.',
  wrong_server: 'This request names another server.',
  invalid_key: 'A key in the request is not valid.',
  unauthorized: 'Authentication is missing or malformed.',
  bad_signature: 'The signature does not verify.',
  stale_timestamp: 'The timestamp is too far from the server clock.',
  not_found: 'Not found.',
  handle_taken: 'This handle is already registered.',
  primary_taken: 'This key already has a handle on this server.',
  payload_too_large: 'The request is too large.',
  rate_limited: 'Too many requests; try again later.',
  internal_error: 'Something went wrong on the server.',
  unavailable: 'A service the server depends on is unavailable; try again shortly.',
};

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

export function errorBody(code: ErrorCode, message: string = ERROR_MESSAGES[code]): ErrorBody {
  return { error: { code, message } };
}
