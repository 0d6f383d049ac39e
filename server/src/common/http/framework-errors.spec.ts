import type { Socket } from 'node:net';

import { answerClientError, routerError } from './framework-errors';

/** Just enough of a socket to record what the handler does. */
function fakeSocket(state: Partial<{ writable: boolean; destroyed: boolean; _httpMessage: { headersSent: boolean } }> = {}) {
  const written: string[] = [];
  const socket = { writable: true, destroyed: false, ...state, write: (text: string) => written.push(text), destroy: jest.fn() };
  return { socket: socket as unknown as Socket, written, destroy: socket.destroy };
}

const error = (code: string) => Object.assign(new Error('parse error'), { code });

describe(answerClientError.name, () => {
  it('answers 400 in the contract’s shape and closes the connection', () => {
    const { socket, written, destroy } = fakeSocket();
    answerClientError(error('HPE_INVALID_METHOD'), socket);
    expect(written).toHaveLength(1);
    const [head, body] = written[0].split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nConnection: close$/);
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({ error: { code: 'bad_request', message: 'The request is not well-formed HTTP.' } });
    expect(destroy).toHaveBeenCalled();
  });

  it('writes nothing on a reset connection, or after a response already started', () => {
    const reset = fakeSocket();
    answerClientError(error('ECONNRESET'), reset.socket);
    expect(reset.written).toEqual([]);
    const busy = fakeSocket({ _httpMessage: { headersSent: true } });
    answerClientError(error('HPE_INVALID_CHUNK_SIZE'), busy.socket);
    expect(busy.written).toEqual([]);
    expect(busy.destroy).toHaveBeenCalled();
  });
});

describe(routerError.name, () => {
  it('answers the router’s refusals with 400 and never quotes the URL', () => {
    expect(routerError('FST_ERR_BAD_URL')).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: 'The URL is not valid percent-encoded UTF-8.' } },
    });
    expect(routerError('FST_ERR_MAX_PARAM_LENGTH')).toMatchObject({ status: 400, body: { error: { message: 'A path segment is too long.' } } });
    expect(routerError('FST_ERR_ASYNC_CONSTRAINT')).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
  });
});
