import type { DynamicModule, LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';

import type { AppConfig } from '../../config/app-config';

/** Nest's level names as pino's. */
const PINO_LEVEL: Record<LogLevel, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * `LOG_FORMAT=json`: one JSON object per line through nestjs-pino, so every line
 * written while a request is handled carries its `req_id` (Fastify's request id,
 * handed on by the middleware layer). Only the id is bound to a request's lines:
 * headers, URLs (a stream's auth rides in its query) and bodies (envelopes, push
 * endpoints) are never logged. Requests themselves are logged by the access log.
 */
export function jsonLogsModule(config: AppConfig): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: PINO_LEVEL[config.logLevel],
      base: { server: config.server, instance_id: config.instanceId },
      timestamp: stdTimeFunctions.isoTime,
      autoLogging: false,
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'req_id' },
    },
  });
}

/**
 * Installs the JSON logger and binds each request's `req_id` to every line written
 * while it is handled. The middleware's own context does not survive Fastify's body
 * parsing (the body's events run in the socket's context), so the binding is made
 * again in `preHandler`, which calls the route handler within it.
 */
export async function useJsonLogs(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  const pino = await app.resolve(PinoLogger);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', (request, _reply, done) => pino.runInContext(() => done(), { bindings: { req_id: request.id } }));
}
