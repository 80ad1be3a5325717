import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ProblemFilter } from './adapters/http/problem.filter.js';
import { requestValidationPipe } from './adapters/http/validation.pipe.js';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';

export const API_PREFIX = 'api/v1';

/**
 * Fastify over Express: measured ~1.3× on writes and 1.1–1.4× on reads on this project's machines
 * (shared/STACK-NOTES.md), and its JSON parser rejects bad bodies before Nest sees them.
 */
export async function createApp(config: AppConfig, options: { logs?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 1_048_576, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // JSON only: Fastify's own parser stays; Nest's extra form-urlencoded parser is left out (→ 415).
    bodyParser: false,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  configureApp(app);
  app.enableShutdownHooks();
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
  return SwaggerModule.createDocument(app, config);
}
