import { HttpException } from '@nestjs/common';

import { ERROR_MESSAGES, ERROR_STATUS, errorBody, type ErrorBody, type ErrorCode } from '@kez/protocol';

import { ApiError } from '../errors/api-error';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the failure is ours (a bug or an outage), so it is logged with its stack. */
  internal: boolean;
}

/** Fastify's own errors (body parsing, limits) by their code, in the contract's words. */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is larger than 300 KiB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'bad_request', message: 'Send JSON with Content-Type: application/json.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'bad_request', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'bad_request', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request', message: 'Content-Length does not match the body.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'bad_request', message: 'The Content-Type header is malformed.' },
  FST_ERR_BAD_URL: { code: 'bad_request', message: 'The URL is not valid percent-encoded UTF-8.' },
};

const BY_STATUS: Record<number, ErrorCode> = {
  401: 'unauthorized',
  404: 'not_found',
  405: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

function fastifyCode(exception: HttpException): string | undefined {
  const cause = exception.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function httpExceptionMessage(exception: HttpException, code: ErrorCode): string {
  const response = exception.getResponse();
  // Nest's "Cannot GET <url>" and Fastify's own texts quote the request: never echoed.
  if (code === 'not_found' || fastifyCode(exception) !== undefined) {
    return ERROR_MESSAGES[code];
  }
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = response.message;
    if (Array.isArray(message)) {
      return message.join('; ');
    }
    if (typeof message === 'string') {
      return message;
    }
  }
  return ERROR_MESSAGES[code];
}

/**
 * Maps anything thrown while serving a request to the contract's error JSON.
 * Unknown failures become a generic 500 that names the request id and nothing
 * else: no stack, no SQL, no file path.
 */
export function toErrorResponse(exception: unknown, requestId: string): ErrorResponse {
  if (exception instanceof ApiError) {
    return { status: exception.status, body: errorBody(exception.code, exception.message), headers: { ...exception.headers }, internal: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const known = FASTIFY_ERRORS[fastifyCode(exception) ?? ''];
    if (known) {
      return { status: ERROR_STATUS[known.code], body: errorBody(known.code, known.message), headers: {}, internal: false };
    }
    if (status < 500) {
      // The status follows the code, as in the contract's table: a 405, 415 or 431 of the framework's becomes 404 or 400.
      const code = BY_STATUS[status] ?? 'bad_request';
      return { status: ERROR_STATUS[code], body: errorBody(code, httpExceptionMessage(exception, code)), headers: {}, internal: false };
    }
    if (status === 503) {
      return { status, body: errorBody('unavailable'), headers: {}, internal: false };
    }
  }
  return {
    status: 500,
    body: errorBody('internal_error', `Something went wrong on the server (request ${requestId}).`),
    headers: {},
    internal: true,
  };
}
