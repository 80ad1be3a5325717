import type { Env } from './env.js';

/** The validated environment plus what start-up resolved (embedded PostgreSQL, private Redis). */
export class AppConfig {
  constructor(
    readonly env: Env,
    readonly databaseUrl: string,
    readonly redisUrl: string,
  ) {}
}
