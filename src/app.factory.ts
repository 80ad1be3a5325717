import 'reflect-metadata';
import { RequestMethod, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { corsOptions } from './adapters/http/cors.js';
import { PROBLEM_CONTENT_TYPE, problem } from './adapters/http/problem.js';
import { BODY_LIMIT, clientErrorHandler, installJsonBodyParser } from './adapters/http/http-transport.js';
import { documentTransportProblems } from './adapters/http/openapi-transport.js';
import { ProblemFilter } from './adapters/http/problem.filter.js';
import { requestValidationPipe } from './adapters/http/validation.pipe.js';
import { AppModule } from './app.module.js';
import { instrumentHttp } from './adapters/metrics/http-metrics.js';
import { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import type { AppConfig } from './config/app-config.js';
import { WorkerAppModule } from './worker-app.module.js';

export const API_PREFIX = 'api/v1';

/**
 * Fastify over Express: measured ~1.3× on writes and 1.1–1.4× on reads on this project's machines
 * (shared/STACK-NOTES.md), and its JSON parser rejects bad bodies before Nest sees them.
 */
export async function createApp(
  config: AppConfig,
  options: { logs?: boolean; workers?: boolean; startupLogger?: LoggerService; metrics?: PrometheusMetrics } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    clientErrorHandler,
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (off by default): otherwise any client
    // could pick its own address, and with it a fresh rate-limit bucket per request.
    trustProxy: config.env.TRUST_PROXY,
    // Errors the router raises before Nest sees the request (a malformed URL, a path segment over 100
    // characters) are problems like every other 4xx.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const code = status === 414 ? 'URI_TOO_LONG' : 'BAD_URL';
      void reply.status(status).type(PROBLEM_CONTENT_TYPE).send(problem(status, code, error.message));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { workers: options.workers, metrics: options.metrics }), adapter, {
    bufferLogs: true,
    // Until the app's own logger takes over (and if it never does, because start-up failed).
    logger: options.startupLogger,
    abortOnError: false,
    // JSON only: Fastify's own parser stays; Nest's extra form-urlencoded parser is left out (→ 415).
    bodyParser: false,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  app.enableCors(corsOptions(config.env.CORS_ORIGINS, config.env.CORS_ALLOW_CREDENTIALS));
  installJsonBodyParser(app.getHttpAdapter().getInstance());
  configureApp(app);
  const metrics = app.get(PrometheusMetrics);
  if (metrics.enabled) instrumentHttp(app.getHttpAdapter().getInstance(), metrics);
  return app;
}

/** A worker process: relay and queue workers, no HTTP. Closing it lets in-flight jobs finish first. */
export async function createWorker(
  config: AppConfig,
  options: { logs?: boolean; startupLogger?: LoggerService; metrics?: PrometheusMetrics } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config, { metrics: options.metrics }), {
    bufferLogs: true,
    logger: options.startupLogger,
    abortOnError: false,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  await app.init();
  return app;
}

/** Prefix, validation, problem+json and the API docs: shared by the server, the tests and the OpenAPI export. */
export function configureApp(app: NestFastifyApplication): OpenAPIObject {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(requestValidationPipe);
  app.useGlobalFilters(new ProblemFilter());
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  return document;
}

function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tessera service desk API')
    .setDescription(
      'Tickets, comments, activity, categories and users. Errors are RFC 9457 application/problem+json. ' +
        'Authenticate with a bearer token from Keycloak (enterprise mode) or POST /api/v1/auth/login (embedded mode).',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return documentTransportProblems(SwaggerModule.createDocument(app, config));
}
