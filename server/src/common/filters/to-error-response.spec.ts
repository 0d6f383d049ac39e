import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';

import { ApiError } from '../errors/api-error';
import { toErrorResponse } from './to-error-response';

describe(toErrorResponse.name, () => {
  it('maps an ApiError to its code, status and headers', () => {
    const response = toErrorResponse(new ApiError('rate_limited', 'slow down', { 'Retry-After': '3' }), 'r1');
    expect(response).toEqual({
      status: 429,
      body: { error: { code: 'rate_limited', message: 'slow down' } },
      headers: { 'Retry-After': '3' },
      internal: false,
    });
  });

  it('maps Fastify body errors by their code', () => {
    const tooLarge = new HttpException('too large', 413, { cause: Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }) });
    expect(toErrorResponse(tooLarge, 'r').body.error.code).toBe('payload_too_large');
    const badJson = new HttpException('bad', 400, { cause: Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' }) });
    expect(toErrorResponse(badJson, 'r')).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
  });

  it('maps Nest exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /v1/nope'), 'r')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'Not found.' } },
    });
    expect(toErrorResponse(new BadRequestException(['a is bad', 'b is bad']), 'r').body.error).toEqual({ code: 'bad_request', message: 'a is bad; b is bad' });
  });

  it('gives the status of the contract code, and never echoes a framework message', () => {
    const fastify = (status: number, code: string, message: string) =>
      new HttpException(message, status, { cause: Object.assign(new Error(message), { code }) });
    expect(toErrorResponse(fastify(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Unsupported Media Type: text/evil'), 'r')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: 'Send JSON with Content-Type: application/json.' } },
    });
    const unknown = toErrorResponse(fastify(431, 'FST_ERR_SOMETHING_NEW', 'echo of /secret/path'), 'r');
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: 'The request is malformed.' } } });
    expect(toErrorResponse(new HttpException('Method Not Allowed', 405), 'r')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('hides the details of unknown failures', () => {
    const response = toErrorResponse(new Error('SELECT * FROM handles at /srv/app.js:1'), 'req-7');
    expect(response.status).toBe(500);
    expect(response.internal).toBe(true);
    expect(JSON.stringify(response.body)).not.toMatch(/SELECT|\/srv/);
    expect(response.body.error.message).toContain('req-7');
  });
});
