/**
 * A reason the service cannot start that the operator can act on. `main.ts` prints it as exactly one line,
 * `Tessera cannot start: <cause>. Fix: <fix>`, on stderr and exits with code 1.
 */
export class StartupError extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${trimmed(reason)}. Fix: ${trimmed(fix)}`, options);
  }
}

const GENERIC_FIX = 'read the log lines above; run again with LOG_LEVEL=debug for more detail';

/** The one line printed for any start-up failure: a StartupError as written, anything else with a generic fix. */
export function startupFailureLine(error: unknown): string {
  if (error instanceof StartupError) return `Tessera cannot start: ${error.message}`;
  return `Tessera cannot start: ${trimmed(firstLine(error))}. Fix: ${GENERIC_FIX}`;
}

/** An error's message, on one line (no stack, no multi-line driver output). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  return message.split('\n').map((line) => line.trim()).find(Boolean) ?? 'unknown error';
}

function trimmed(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}
