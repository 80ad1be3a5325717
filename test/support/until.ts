import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

/**
 * Polls `probe` until `done` accepts its value and returns that value. When the time is up first it throws, showing
 * the last value, so a condition that never holds fails where it was awaited instead of in a later assertion.
 * The deadline runs on `performance.now()` and the pause on node:timers/promises, so fake timers (Date, setTimeout)
 * in a test do not stop it.
 */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (performance.now() >= deadline) {
      const shown = inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 500, maxArrayLength: 20 });
      throw new Error(`until: the condition did not hold within ${timeoutMs} ms; last value: ${shown}`);
    }
    await sleep(50);
    value = await probe();
  }
  return value;
}
