import { DataSource, MigrationExecutor } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { firstLine, StartupError } from './startup-error.js';

/**
 * Before the application is built: PostgreSQL answers at `url` with these credentials and this database, and the
 * migrations apply. Each way this goes wrong is a StartupError naming the cause and the fix, instead of the ORM's
 * retries and stack traces. The application's own migration run then finds nothing left to do.
 */
export async function preflightDatabase(url: string, log: (msg: string) => void): Promise<void> {
  const shown = redact(url);
  let failedMigration: string | undefined;
  const db = new DataSource({
    type: 'postgres',
    url,
    migrations,
    connectTimeoutMS: 5_000,
    poolSize: 1,
    // TypeORM's messages stay quiet; the one naming the migration that failed goes into the start failure line.
    logger: {
      logQuery: () => undefined,
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      log: () => undefined,
      logMigration: (message: string) => {
        failedMigration ??= /^Migration "([^"]+)" failed/.exec(message)?.[1];
      },
    },
  });
  try {
    await db.initialize();
  } catch (error) {
    throw connectionFailure(error, shown);
  }
  try {
    const pending = await new MigrationExecutor(db).getPendingMigrations();
    if (pending.length === 0) return;
    log(`Applying ${pending.length} database migration(s) to ${shown}`);
    try {
      await db.runMigrations({ transaction: 'all' });
    } catch (error) {
      throw new StartupError(
        `the database migration ${failedMigration ?? pending[0]!.name} failed on ${shown} (${firstLine(error)}); ` +
          'no migration was applied',
        'point DATABASE_URL at an empty database or one only Tessera has written to, ' +
          'or repair the schema so the migration can apply (see docs/operations.md)',
        { cause: error },
      );
    }
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

function connectionFailure(error: unknown, shown: string): StartupError {
  const { code } = error as { code?: string };
  const detail = firstLine(error);
  const database = safeDatabaseName(shown);
  switch (code) {
    case '28P01':
    case '28000':
      return new StartupError(
        `PostgreSQL at ${shown} refused the credentials (${detail})`,
        'correct the user and password in DATABASE_URL',
        { cause: error },
      );
    case '3D000':
      return new StartupError(
        `the database "${database}" does not exist on ${shown}`,
        `create it (createdb ${database}) or correct the database name in DATABASE_URL`,
        { cause: error },
      );
    default:
      return new StartupError(
        `PostgreSQL at ${shown} cannot be reached (${detail})`,
        'start PostgreSQL there, or correct DATABASE_URL (unset it to use the embedded PostgreSQL)',
        { cause: error },
      );
  }
}

function safeDatabaseName(shown: string): string {
  try {
    return decodeURIComponent(new URL(shown).pathname.slice(1)) || 'postgres';
  } catch {
    return 'postgres';
  }
}

/** The URL with its password replaced, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
