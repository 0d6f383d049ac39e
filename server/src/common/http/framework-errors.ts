import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import { errorBody, type ErrorBody } from '@kez/protocol';

/**
 * Errors the router raises before any hook runs, by Fastify code, in the contract's
 * words. Short fixed messages: the offending URL is never echoed. Anything else the
 * router could raise (an async route constraint failing) is ours: a plain 500.
 */
export function routerError(code: string | undefined): { status: number; body: ErrorBody } {
  if (code === 'FST_ERR_BAD_URL') {
    return { status: 400, body: errorBody('bad_request', 'The URL is not valid percent-encoded UTF-8.') };
  }
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return { status: 400, body: errorBody('bad_request', 'A path segment is too long.') };
  }
  return { status: 500, body: errorBody('internal_error') };
}

/** Writes one error answer straight on the socket, then closes the connection. */
function answerOnSocket(socket: Socket, status: number, body: ErrorBody): void {
  // A response already under way on this connection cannot be followed by another.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/**
 * Answers a connection whose bytes are not HTTP the parser can read (an unknown
 * method, a malformed Content-Length, bad header bytes, a request line too long):
 * 400 with the contract's error JSON, then the connection is closed, since what
 * follows on it cannot be framed. Nothing is written when the socket is gone.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const message =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'The request did not arrive in time.'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'The request headers are too large.'
        : 'The request is not well-formed HTTP.';
  answerOnSocket(socket, 400, errorBody('bad_request', message));
}

/**
 * `CONNECT` never reaches the router (Node.js hands it to a `connect` listener, or
 * drops the connection without a word when there is none): like any method a path
 * does not serve, it is 404 `not_found`, and the connection is closed.
 */
export function answerConnect(_request: IncomingMessage, socket: Socket): void {
  answerOnSocket(socket, 404, errorBody('not_found'));
}
