import {
  AnalyticsQueries,
  type AgentTally,
  type AnalyticsFilter,
  type DashboardData,
  type StaffMember,
} from '../../core/analytics/analytics-queries.port.js';
import type { AnalyticsRange } from '../../core/analytics/analytics-range.js';

const MAX_ENTRIES = 1000;

/**
 * Keeps analytics reads for `ttlMs` in this process: a dashboard polled by many screens costs one set of queries
 * per period. Callers get the same (read-only) objects; access is decided before the cache is asked.
 */
export class CachedAnalyticsQueries extends AnalyticsQueries {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly inner: AnalyticsQueries,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    if (this.entries.size >= MAX_ENTRIES) {
      for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs) this.entries.delete(k);
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    }
    const value = load();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  private key(method: string, range: AnalyticsRange | null, ...rest: unknown[]): string {
    return JSON.stringify([method, range && [range.from, range.to, range.timeZone], ...rest]);
  }

  dashboard(range: AnalyticsRange, filter: AnalyticsFilter): Promise<DashboardData> {
    return this.cached(this.key('dashboard', range, filter), () => this.inner.dashboard(range, filter));
  }

  agentTallies(range: AnalyticsRange, agentIds: readonly string[], groupId?: string): Promise<AgentTally[]> {
    return this.cached(this.key('agents', range, agentIds, groupId ?? null), () => this.inner.agentTallies(range, agentIds, groupId));
  }

  findStaff(id: string): Promise<StaffMember | null> {
    return this.inner.findStaff(id);
  }

  /** The team view's rows (not an access decision: who may read it is decided before). */
  agents(groupId?: string): Promise<StaffMember[]> {
    return this.cached(this.key('agents', null, groupId ?? null), () => this.inner.agents(groupId));
  }

  groupExists(id: string): Promise<boolean> {
    return this.inner.groupExists(id);
  }
}
