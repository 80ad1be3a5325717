/** What `within` returns when the work did not settle in time (the work itself goes on). */
export const TIMED_OUT = Symbol('timed out');

/**
 * `work`'s value, or TIMED_OUT if it has not settled after `ms`. A rejection of `work` passes through. When the timer
 * fires late (a busy event loop), I/O already received is handled first, so an answer that came in time wins.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A logger call that lets one message through per `intervalMs`: an outage should not flood the log. */
export function throttled(intervalMs: number, log: (message: string) => void): (message: string) => void {
  let last = 0;
  return (message) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    log(message);
  };
}
