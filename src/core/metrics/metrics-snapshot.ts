import { PRIORITIES, type Priority } from '../tickets/priority-matrix.js';
import { OPEN_STATUSES } from '../tickets/ticket-lifecycle.js';
import type { TicketStatus } from '../tickets/ticket-status.js';
import { Clock } from '../shared/clock.port.js';
import { SLA_TARGETS, type SlaTarget } from './ticket-outcomes.js';

export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/**
 * The gauges that need the database or every queue, computed by one worker per interval and read by every scrape
 * (a scrape never queries the tables, and replicas do not repeat the same query).
 */
export interface MetricsSnapshot {
  /** ISO time the figures were taken. */
  takenAt: string;
  queues: { queue: string; state: QueueJobState; count: number }[];
  outbox: { pending: number; oldestAgeSeconds: number };
  /** Every open status × priority, zeros included. */
  ticketsOpen: { status: TicketStatus; priority: Priority; count: number }[];
  /** Running clocks past their at-risk point and not breached, on open tickets; both targets, zeros included. */
  slaAtRisk: { target: SlaTarget; count: number }[];
}

/** Figures read from the database in a few indexed statements. */
export abstract class OperationalCounts {
  abstract outbox(now: Date): Promise<MetricsSnapshot['outbox']>;
  abstract openTickets(): Promise<{ status: string; priority: string; count: number }[]>;
  abstract slaAtRisk(): Promise<{ target: string; count: number }[]>;
}

/** Job counts of every queue by state. */
export abstract class QueueStats {
  abstract counts(): Promise<MetricsSnapshot['queues']>;
}

export abstract class MetricsSnapshotStore {
  abstract save(snapshot: MetricsSnapshot): Promise<void>;
  abstract load(): Promise<MetricsSnapshot | null>;
}

/** Recomputes the snapshot and stores it (the repeatable `metrics` job). */
export class RefreshMetricsSnapshot {
  constructor(
    private readonly counts: OperationalCounts,
    private readonly queues: QueueStats,
    private readonly store: MetricsSnapshotStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<MetricsSnapshot> {
    const now = this.clock.now();
    const [queues, outbox, open, atRisk] = await Promise.all([
      this.queues.counts(),
      this.counts.outbox(now),
      this.counts.openTickets(),
      this.counts.slaAtRisk(),
    ]);
    const openCount = (status: string, priority: string) =>
      open.find((row) => row.status === status && row.priority === priority)?.count ?? 0;
    const snapshot: MetricsSnapshot = {
      takenAt: now.toISOString(),
      queues,
      outbox,
      ticketsOpen: OPEN_STATUSES.flatMap((status) =>
        PRIORITIES.map((priority) => ({ status, priority, count: openCount(status, priority) })),
      ),
      slaAtRisk: SLA_TARGETS.map((target) => ({ target, count: atRisk.find((row) => row.target === target)?.count ?? 0 })),
    };
    await this.store.save(snapshot);
    return snapshot;
  }
}
