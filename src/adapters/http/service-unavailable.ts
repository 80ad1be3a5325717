// SQLSTATEs and driver errors that mean "the database cannot serve this right now", not "the request is wrong".
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
const UNAVAILABLE_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated'];

// What ioredis (under BullMQ's producers, which fail fast) says when Redis is away.
const REDIS_UNAVAILABLE_MESSAGES = [
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed',
  'Reached the max retries per request limit',
];

/** True when Redis could not be reached: what needs it (queues, failed jobs) answers 503, not 500. */
export function isRedisUnavailable(error: unknown): boolean {
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  return REDIS_UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/** True for pool exhaustion, a lost or refused connection, or a cancelled (timed out) statement. */
export function isServiceUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown } | null;
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  const message = String(e?.message ?? '');
  return (
    UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_CODES.has(code) || UNAVAILABLE_MESSAGES.some((m) => message.includes(m))
  );
}
