import type { PointsEntry } from '../../../src/core/recognition/recognition.ports.js';
import { PointsLedger, RecognitionUnitOfWork } from '../../../src/core/recognition/recognition.ports.js';

/**
 * The ledger as agent_points, agent_point_totals and recognition_reopens hold it: unique per (event, rule, agent)
 * and per cancelled entry. Runs one transaction at a time (the advisory lock's effect) and keeps a run's writes
 * only when it resolves.
 */
export class InMemoryRecognition extends RecognitionUnitOfWork {
  entries: PointsEntry[] = [];
  totals = new Map<string, number>();
  reopens: { eventId: string; ticketId: string; at: Date }[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  run<T>(work: (tx: { ledger: PointsLedger }) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const draft = { entries: [...this.entries], totals: new Map(this.totals), reopens: [...this.reopens] };
      const result = await work({ ledger: new InMemoryLedger(draft) });
      Object.assign(this, draft);
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  totalOf(agentId: string): number {
    return this.totals.get(agentId) ?? 0;
  }
}

class InMemoryLedger extends PointsLedger {
  constructor(private readonly d: { entries: PointsEntry[]; totals: Map<string, number>; reopens: { eventId: string; ticketId: string; at: Date }[] }) {
    super();
  }

  async lockTicket(): Promise<void> {}

  async record(e: PointsEntry): Promise<boolean> {
    const clash = this.d.entries.some(
      (x) => (x.eventId === e.eventId && x.rule === e.rule && x.agentId === e.agentId) || (e.reverses !== null && x.reverses === e.reverses),
    );
    if (clash) return false;
    this.d.entries.push({ ...e });
    this.d.totals.set(e.agentId, (this.d.totals.get(e.agentId) ?? 0) + e.points);
    return true;
  }

  async recordReopen(ticketId: string, eventId: string, at: Date): Promise<void> {
    if (!this.d.reopens.some((r) => r.eventId === eventId)) this.d.reopens.push({ eventId, ticketId, at });
  }

  async reopenedAfter(ticketId: string, at: Date): Promise<boolean> {
    return this.d.reopens.some((r) => r.ticketId === ticketId && r.at > at);
  }

  async uncancelled(ticketId: string, rule: string, before: Date): Promise<PointsEntry[]> {
    return this.d.entries.filter(
      (e) => e.ticketId === ticketId && e.rule === rule && e.at < before && !this.d.entries.some((x) => x.reverses === e.id),
    );
  }
}
