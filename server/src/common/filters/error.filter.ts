import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { toErrorResponse } from './to-error-response';

/** The one place where failures become responses (see toErrorResponse). */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception, String(request.id));
    if (response.internal) {
      this.logger.error(`request ${request.id} ${request.method} failed`, exception instanceof Error ? exception.stack : String(exception));
    }
    if (reply.sent || reply.raw.headersSent) {
      // A stream that already started cannot carry an error body; end it.
      reply.raw.end();
      return;
    }
    void reply.status(response.status).headers(response.headers).type('application/json; charset=utf-8').send(response.body);
  }
}
