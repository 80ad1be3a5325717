import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { configureApp } from './app.factory.js';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { parseEnv } from './config/env.js';

/** The OpenAPI document from the code alone: a preview app instantiates no provider and opens no connection. */
export async function generateOpenApi(): Promise<OpenAPIObject> {
  const config = new AppConfig(parseEnv({}), 'postgres://unused@127.0.0.1/unused', 'redis://127.0.0.1:1');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const document = configureApp(app);
  await app.close();
  return document;
}
