import { describe, expect, it } from 'vitest';
import { CachedAnalyticsQueries } from '../../../src/adapters/cache/cached-analytics.queries.js';
import { emptyTally } from '../../../src/core/analytics/analytics-figures.js';
import {
  AnalyticsQueries,
  type AgentTally,
  type AnalyticsFilter,
  type DashboardData,
  type StaffMember,
} from '../../../src/core/analytics/analytics-queries.port.js';
import { parseAnalyticsRange, type AnalyticsRange } from '../../../src/core/analytics/analytics-range.js';

/** Counts the reads that reach it; each answer is a new object, so a cached answer is recognisable by identity. */
class CountingQueries extends AnalyticsQueries {
  calls: Record<string, number> = {};
  failNext = false;
  private count(method: string) {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database away');
    }
  }
  async dashboard(): Promise<DashboardData> {
    this.count('dashboard');
    return { tally: emptyTally(), perDay: [], backlog: { byStatus: {} as never, byPriority: {} as never, byCategory: [], byAssignee: [] } };
  }
  async agentTallies(_range: AnalyticsRange, agentIds: readonly string[]): Promise<AgentTally[]> {
    this.count('agentTallies');
    return agentIds.map((agentId) => ({ agentId, tally: emptyTally(), open: 0 }));
  }
  async findStaff(id: string): Promise<StaffMember | null> {
    this.count('findStaff');
    return { id, name: 'Ana' };
  }
  async agents(): Promise<StaffMember[]> {
    this.count('agents');
    return [];
  }
  async groupExists(): Promise<boolean> {
    this.count('groupExists');
    return true;
  }
}

const NOW = new Date('2026-11-15T12:00:00Z');
const range = (tz = 'UTC', from = '2026-11-01') => parseAnalyticsRange({ from, to: '2026-11-30', tz }, NOW);

function setup(ttlMs = 1000) {
  const inner = new CountingQueries();
  let now = 0;
  const cache = new CachedAnalyticsQueries(inner, ttlMs, () => now);
  return { inner, cache, advance: (ms: number) => (now += ms) };
}

describe('CachedAnalyticsQueries (ANALYTICS_CACHE_MS)', () => {
  it('answers the same query from one read for ttl ms, concurrent callers included, then reads again', async () => {
    const { inner, cache, advance } = setup();
    const filter: AnalyticsFilter = { priority: 'high' };
    const [a, b] = await Promise.all([cache.dashboard(range(), filter), cache.dashboard(range(), filter)]);
    expect(a).toBe(b);
    advance(999);
    expect(await cache.dashboard(range(), { priority: 'high' })).toBe(a);
    expect(inner.calls.dashboard).toBe(1);
    advance(1);
    expect(await cache.dashboard(range(), filter)).not.toBe(a);
    expect(inner.calls.dashboard).toBe(2);
  });

  it('keys by range, zone, filter and agents: a different query is a different read', async () => {
    const { inner, cache } = setup();
    await cache.dashboard(range(), {});
    await cache.dashboard(range('Europe/Madrid'), {});
    await cache.dashboard(range('UTC', '2026-11-02'), {});
    await cache.dashboard(range(), { priority: 'low' });
    await cache.dashboard(range(), { groupId: '6f1c1b7e-0b7a-4f3e-9d52-5a8f8c6d2a10' });
    expect(inner.calls.dashboard).toBe(5);
    await cache.agentTallies(range(), ['a1', 'a2']);
    await cache.agentTallies(range(), ['a1', 'a2'], 'g1');
    await cache.agentTallies(range(), ['a1']);
    await cache.agentTallies(range(), ['a1', 'a2']);
    expect(inner.calls.agentTallies).toBe(3);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    const { inner, cache } = setup();
    inner.failNext = true;
    await expect(cache.dashboard(range(), {})).rejects.toThrow('database away');
    await cache.dashboard(range(), {});
    expect(inner.calls.dashboard).toBe(2);
  });

  it('never caches the lookups answers depend on for 404s (staff, groups); keeps the team view\'s agent list per group', async () => {
    const { inner, cache } = setup();
    for (let i = 0; i < 2; i++) {
      await cache.findStaff('u1');
      await cache.groupExists('g1');
      await cache.agents('g1');
      await cache.agents();
    }
    expect(inner.calls).toMatchObject({ findStaff: 2, groupExists: 2, agents: 2 });
  });

  it('with a ttl of 0 every read reaches the database', async () => {
    const { inner, cache } = setup(0);
    await cache.dashboard(range(), {});
    await cache.dashboard(range(), {});
    expect(inner.calls.dashboard).toBe(2);
  });
});
