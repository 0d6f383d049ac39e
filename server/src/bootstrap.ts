import { randomUUID } from 'node:crypto';

import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';

import { MAX_BODY_BYTES } from '@kez/protocol';

import { AppModule } from './app.module';
import { useStrictJsonBodies } from './common/body/json-body-parser';
import { hardenedFastifyOptions, hardenRequests } from './common/http/http-hardening';
import { logAccess } from './common/logging/access-log';
import { useJsonLogs } from './common/logging/json-logs';
import { enabledLevels } from './common/logging/log-levels';
import { configureLogPrivacy } from './common/logging/log-privacy';
import type { AppConfig } from './config/app-config';

/** Builds the application on Fastify; `listen` is left to the caller. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  configureLogPrivacy(config.logLevel);
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    genReqId: () => randomUUID(),
    // Streams stay open for hours; shutdown closes them explicitly instead of waiting.
    forceCloseConnections: true,
    return503OnClosing: true,
    ...hardenedFastifyOptions(),
  });
  const json = config.logFormat === 'json';
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    // JSON lines come from nestjs-pino, installed below; until then Nest holds its start-up lines back.
    ...(json ? { bufferLogs: true } : { logger: new ConsoleLogger('kez-chat', { logLevels: enabledLevels(config.logLevel), timestamp: true }) }),
    // Fail with an error the caller prints, not process.abort().
    abortOnError: false,
    // Bodies go through useStrictJsonBodies only.
    bodyParser: false,
  });
  if (json) {
    await useJsonLogs(app);
  }
  logAccess(app.getHttpAdapter().getInstance(), config.logFormat, enabledLevels(config.logLevel).includes('debug'));
  useStrictJsonBodies(app.getHttpAdapter().getInstance());
  hardenRequests(app.getHttpAdapter().getInstance());
  // `serve: false`: only reply.sendFile; the web controller decides what to send.
  await app.register(fastifyStatic, { root: config.webDir, serve: false, cacheControl: false });
  return app;
}

export async function startServer(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createApp(config);
  await app.listen(config.bind.port, config.bind.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.bind.port;
  const host = config.bind.host.includes(':') ? `[${config.bind.host}]` : config.bind.host;
  const logger = new Logger('kez-chat');
  logger.log(`serving ${config.server} on http://${host}:${port} (database: ${config.db.kind})`);
  closeOnSignals(app, logger);
  return app;
}

/**
 * SIGTERM/SIGINT: close streams, the HTTP server and the database through Nest's
 * shutdown hooks, then exit 0 (Nest's own hooks re-raise the signal instead, which
 * reads as a crash to supervisors). A second signal exits at once.
 */
function closeOnSignals(app: NestFastifyApplication, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal}: shutting down`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
