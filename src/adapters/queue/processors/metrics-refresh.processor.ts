import type { RefreshMetricsSnapshot } from '../../../core/metrics/metrics-snapshot.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

/** The `metrics` queue's repeatable job: recompute the snapshot, and hand it to InfluxDB's export when enabled. */
export class MetricsRefreshProcessor implements JobProcessor {
  readonly queue = QUEUES.metrics;

  constructor(
    private readonly refresh: RefreshMetricsSnapshot,
    private readonly exportGauges: ((snapshot: Awaited<ReturnType<RefreshMetricsSnapshot['execute']>>) => Promise<void>) | null,
  ) {}

  async process(_data: EventJobData): Promise<unknown> {
    const snapshot = await this.refresh.execute();
    await this.exportGauges?.(snapshot);
    return { takenAt: snapshot.takenAt };
  }
}
