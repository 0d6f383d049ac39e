import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

import type { LogFormat } from '../../config/app-config';

const logger = new Logger('Access');

/**
 * One `debug` line per answered request: method, route pattern, status, time and
 * request id. Text: `GET /v1/inbox/:handle 200 3 ms req=…`; JSON: the same as
 * fields (`req_id`, `method`, `route`, `status`, `ms`). The route pattern, not the
 * URL, so no handle, key or stream auth from a path or query reaches the log;
 * unmatched paths are written `(no route)`. Installs nothing when debug is off.
 */
export function logAccess(fastify: FastifyInstance, format: LogFormat, enabled: boolean): void {
  if (!enabled) {
    return;
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? '(no route)';
    const ms = Math.round(reply.elapsedTime);
    if (format === 'json') {
      logger.debug({ req_id: request.id, method: request.method, route, status: reply.statusCode, ms }, 'request completed');
    } else {
      logger.debug(`${request.method} ${route} ${reply.statusCode} ${ms} ms req=${request.id}`);
    }
    done();
  });
}
