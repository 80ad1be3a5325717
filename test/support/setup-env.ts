import { inject } from 'vitest';

// Runs in each test worker before its test file: the values the global setup provided, for code that reads env.
process.env.TEST_DATABASE_URL = inject('databaseUrl');
process.env.TEST_REDIS_URL = inject('redisUrl');
process.env.TEST_REDIS_PREFIX = inject('redisPrefix');
