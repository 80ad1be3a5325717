import type { Priority } from '../tickets/priority-matrix.js';
import type { OPEN_STATUSES } from '../tickets/ticket-lifecycle.js';
import type { AnalyticsRange } from './analytics-range.js';
import type { Tally } from './analytics-figures.js';

export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** Which tickets a dashboard covers; absent fields do not filter. `categoryId` is the ticket's top-level category. */
export interface AnalyticsFilter {
  groupId?: string;
  categoryId?: string;
  priority?: Priority;
}

/** The open tickets now (filters applied). Null ids stand for tickets without a category or an assignee. */
export interface Backlog {
  byStatus: Record<OpenStatus, number>;
  byPriority: Record<Priority, number>;
  byCategory: { categoryId: string | null; name: string | null; count: number }[];
  byAssignee: { agentId: string | null; name: string | null; count: number }[];
}

export interface DayFigures {
  date: string;
  created: number;
  resolved: number;
}

export interface StaffMember {
  id: string;
  name: string;
}

/** One agent's sums: over the tickets assigned to them now; `open` is their open tickets now. */
export interface AgentTally {
  agentId: string;
  tally: Tally;
  open: number;
}

/** What a dashboard is computed from, read together (one snapshot). */
export interface DashboardData {
  /** Sums over the tickets the filter selects, for the range. */
  tally: Tally;
  /** Tickets created and resolved per local day of the range, every day listed. */
  perDay: DayFigures[];
  backlog: Backlog;
}

/** Reads of the analytics rollups; every figure is defined in analytics-figures.ts and docs/analytics.md. */
export abstract class AnalyticsQueries {
  abstract dashboard(range: AnalyticsRange, filter: AnalyticsFilter): Promise<DashboardData>;
  /** Each agent's sums, over the tickets of `groupId` when given; agents without tickets get an empty tally. */
  abstract agentTallies(range: AnalyticsRange, agentIds: readonly string[], groupId?: string): Promise<AgentTally[]>;
  /** An agent or admin by id (null for a requester or an unknown id). */
  abstract findStaff(id: string): Promise<StaffMember | null>;
  /** Every user with the agent role, by name; with `groupId`, the group's members who are agents. */
  abstract agents(groupId?: string): Promise<StaffMember[]>;
  abstract groupExists(id: string): Promise<boolean>;
}
