import { PointSink } from '../../core/metrics/export-points.use-case.js';
import type { ExportPoint } from '../../core/metrics/ticket-event-export.js';
import type { InfluxWriter } from './influx-writer.js';
import { PointBatcher } from './point-batcher.js';

/** Points of the export jobs running at once in this process go to InfluxDB in one write (see PointBatcher). */
export class InfluxPointSink extends PointSink {
  private readonly batcher: PointBatcher;

  constructor(writer: InfluxWriter, batchSize: number, lingerMs = 50) {
    super();
    this.batcher = new PointBatcher((points) => writer.write(points), batchSize, lingerMs);
  }

  write(points: readonly ExportPoint[]): Promise<void> {
    return this.batcher.add(points);
  }
}
