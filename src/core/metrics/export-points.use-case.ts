import type { MetricsSnapshot } from './metrics-snapshot.js';
import { gaugePoints, needsCreatedAt, ticketEventPoint, type ExportedEvent, type ExportPoint } from './ticket-event-export.js';

/** When a ticket was created (it never changes): minutes to first response and to resolution are counted from it. */
export abstract class TicketCreationTimes {
  abstract createdAt(ticketId: string): Promise<Date | null>;
}

/** A time-series database taking points; a write of the same point again overwrites it. */
export abstract class PointSink {
  abstract write(points: readonly ExportPoint[]): Promise<void>;
}

/** One ticket event → its one point, written (idempotent: a replay rewrites the same point). */
export class ExportTicketEvent {
  constructor(
    private readonly times: TicketCreationTimes,
    private readonly sink: PointSink,
  ) {}

  async execute(event: ExportedEvent): Promise<ExportPoint | null> {
    const createdAt = needsCreatedAt(event) ? await this.times.createdAt(event.aggregateId) : null;
    const point = ticketEventPoint(event, createdAt);
    if (point) await this.sink.write([point]);
    return point;
  }
}

/** A metrics snapshot → one point per gauge series, at the snapshot's time. */
export class ExportGauges {
  constructor(private readonly sink: PointSink) {}

  async execute(snapshot: MetricsSnapshot): Promise<number> {
    const points = gaugePoints(snapshot);
    await this.sink.write(points);
    return points.length;
  }
}
