import { describe, expect, it } from 'vitest';
import {
  MetricsSnapshotStore,
  OperationalCounts,
  QueueStats,
  RefreshMetricsSnapshot,
  type MetricsSnapshot,
} from '../../../src/core/metrics/metrics-snapshot.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';

class StubCounts extends OperationalCounts {
  async outbox() {
    return { pending: 3, oldestAgeSeconds: 1.5 };
  }
  async openTickets() {
    return [
      { status: 'new', priority: 'high', count: 7 },
      { status: 'pending', priority: 'low', count: 2 },
    ];
  }
  async slaAtRisk() {
    return [{ target: 'resolution', count: 4 }];
  }
}
class StubQueues extends QueueStats {
  async counts(): Promise<MetricsSnapshot['queues']> {
    return [{ queue: 'intake', state: 'waiting', count: 9 }];
  }
}
class InMemorySnapshots extends MetricsSnapshotStore {
  saved: MetricsSnapshot | null = null;
  async save(snapshot: MetricsSnapshot) {
    this.saved = snapshot;
  }
  async load() {
    return this.saved;
  }
}

describe('RefreshMetricsSnapshot', () => {
  it('stores every open status × priority and both SLA targets, zeros included', async () => {
    const clock = new FixedClock(new Date('2026-11-05T10:00:00Z'));
    const store = new InMemorySnapshots();
    const snapshot = await new RefreshMetricsSnapshot(new StubCounts(), new StubQueues(), store, clock).execute();
    expect(store.saved).toEqual(snapshot);
    expect(snapshot.takenAt).toBe('2026-11-05T10:00:00.000Z');
    expect(snapshot.ticketsOpen).toHaveLength(4 * 4);
    expect(snapshot.ticketsOpen).toContainEqual({ status: 'new', priority: 'high', count: 7 });
    expect(snapshot.ticketsOpen).toContainEqual({ status: 'pending', priority: 'low', count: 2 });
    expect(snapshot.ticketsOpen).toContainEqual({ status: 'in_progress', priority: 'critical', count: 0 });
    expect(snapshot.ticketsOpen.some((r) => r.status === 'resolved' || r.status === 'closed')).toBe(false);
    expect(snapshot.slaAtRisk).toEqual([
      { target: 'first_response', count: 0 },
      { target: 'resolution', count: 4 },
    ]);
    expect(snapshot.outbox).toEqual({ pending: 3, oldestAgeSeconds: 1.5 });
    expect(snapshot.queues).toEqual([{ queue: 'intake', state: 'waiting', count: 9 }]);
  });
});
