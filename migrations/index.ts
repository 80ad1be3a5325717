import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** Every migration, in order; the app and the test harness load this list explicitly. */
export const migrations = [InitialSchema1764000000000];
