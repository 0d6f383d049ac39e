import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { isApiPath } from '../../web/web-files';
import { answerClientError, answerConnect, routerError } from './framework-errors';
import { checkHeaderText, checkRequestTarget, TEXT_HEADERS } from './request-text';

/** Path prefix whose answers any origin may read (WebFinger, NIP-05), errors included. */
const OPEN_CORS_PREFIX = '/.well-known/';

/**
 * Fastify's default (100) would send a long parameter past its route to the web
 * catch-all, answering 404 instead of the route's own 400; the route checks length itself.
 */
export const MAX_PARAM_LENGTH = 16 * 1024;

function pathOf(url: string): string {
  const mark = url.indexOf('?');
  return mark < 0 ? url : url.slice(0, mark);
}

function openCors(url: string, reply: FastifyReply): void {
  if (pathOf(url).startsWith(OPEN_CORS_PREFIX)) {
    void reply.header('Access-Control-Allow-Origin', '*');
  }
}

/**
 * Fastify options that route the framework's own refusals through the contract's
 * error JSON: the router's (a URL that does not percent-decode, a parameter over
 * MAX_PARAM_LENGTH) and the HTTP parser's (unknown method, malformed framing).
 */
export function hardenedFastifyOptions() {
  return {
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      openCors(request.raw.url ?? '', reply);
      const { status, body } = routerError(error.code);
      void reply.status(status).type('application/json; charset=utf-8').send(body);
    },
    clientErrorHandler: answerClientError,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  };
}

/**
 * Checks every request's text before routing goes further (docs/protocol.md §3):
 * path and query percent-decode to UTF-8, API query parameters appear once, the
 * headers the server reads are UTF-8. A refusal is an ApiError, which the error
 * filter answers. `/.well-known/` answers carry `Access-Control-Allow-Origin: *`
 * from here, so their errors do too. A `CONNECT` gets its 404 here as well.
 */
export function hardenRequests(fastify: FastifyInstance): void {
  fastify.server.on('connect', answerConnect);
  fastify.addHook('onRequest', (request, reply, done) => {
    openCors(request.url, reply);
    try {
      checkRequestTarget(request.url, isApiPath(pathOf(request.url)));
      for (const [key, name] of TEXT_HEADERS) {
        checkHeaderText(name, request.headers[key]);
      }
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });
}
