import { Worker, type Queue } from 'bullmq';
import { ExportGauges, ExportTicketEvent } from '../../../core/metrics/export-points.use-case.js';
import type { MetricsSnapshot } from '../../../core/metrics/metrics-snapshot.js';
import { InfluxWriteError } from '../../influx/influx-writer.js';
import { throttled } from '../../timing.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

/** The job carrying a snapshot's gauges (payload `{ snapshot }`); every other job is a ticket event. */
export const INFLUX_GAUGES_JOB = 'influx.gauges';

const MIN_BACKOFF_MS = 1000;
/** BullMQ's default ceiling for a rate-limit wait (maximumRateLimitDelay). */
const MAX_BACKOFF_MS = 30_000;

/**
 * The `influx-export` queue: each job becomes its point, and the points of the jobs running at once are written
 * together. While InfluxDB is down or slow the whole queue waits (a queue-wide rate limit, doubling from 1 s to 30 s)
 * and the jobs go back to waiting without using up their attempts, so they are delivered when it returns; the
 * backlog is bounded by the relay (INFLUX_MAX_BACKLOG). A point InfluxDB refuses as malformed fails its job normally.
 */
export class InfluxExportProcessor implements JobProcessor {
  readonly queue = QUEUES.influxExport;
  private failures = 0;
  /** The queue is paused until then: the other jobs of a failed write only go back to waiting. */
  private pausedUntil = 0;
  private readonly warn = throttled(30_000, (message) => this.logger.warn(message));

  constructor(
    private readonly events: ExportTicketEvent,
    private readonly gauges: ExportGauges,
    private readonly producer: Queue,
    readonly concurrency: number,
    private readonly logger: { warn(message: string): void; log(message: string): void },
  ) {}

  async process(data: EventJobData): Promise<unknown> {
    try {
      const result =
        data.type === INFLUX_GAUGES_JOB
          ? await this.gauges.execute(data.payload['snapshot'] as MetricsSnapshot)
          : await this.events.execute({ ...data, occurredAt: new Date(data.occurredAt) });
      if (this.failures) this.logger.log(`InfluxDB export: writing again after ${this.failures} failed write(s)`);
      this.failures = 0;
      return result === null ? { skipped: true } : { written: true };
    } catch (error) {
      if (!(error instanceof InfluxWriteError) || error.rejected) throw error;
      // One failed write fails every job of its batch: the first one sets the pause, once.
      if (Date.now() >= this.pausedUntil) {
        this.failures++;
        const wait = Math.min(MIN_BACKOFF_MS * 2 ** Math.min(this.failures - 1, 5), MAX_BACKOFF_MS);
        this.pausedUntil = Date.now() + wait;
        this.warn(`InfluxDB export paused ${wait} ms: ${error.message}; points stay queued`);
        await this.producer.rateLimit(wait);
      }
      throw Worker.RateLimitError();
    }
  }
}
