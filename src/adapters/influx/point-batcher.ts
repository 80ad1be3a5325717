import type { ExportPoint } from '../../core/metrics/ticket-event-export.js';

/**
 * Gathers the points of the jobs running at once into one write: a write starts when `maxPoints` are waiting or
 * `lingerMs` after the first one arrived. Each caller's promise settles with its batch's write (so a job completes
 * only once its point is stored, and fails when the write failed).
 */
export class PointBatcher {
  private points: ExportPoint[] = [];
  private waiters: { resolve(): void; reject(error: unknown): void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (points: ExportPoint[]) => Promise<void>,
    private readonly maxPoints: number,
    private readonly lingerMs: number,
  ) {}

  add(points: readonly ExportPoint[]): Promise<void> {
    if (!points.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.points.push(...points);
      this.waiters.push({ resolve, reject });
      if (this.points.length >= this.maxPoints) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const points = this.points;
    const waiters = this.waiters;
    this.points = [];
    this.waiters = [];
    this.write(points).then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => waiters.forEach((w) => w.reject(error)),
    );
  }
}
