import type { Actor } from '../identity/actor.js';
import { GroupNotFoundError } from '../assignment/assignment.errors.js';
import type { AgentStandings } from '../recognition/agent-standings.js';
import type { Clock } from '../shared/clock.port.js';
import type { Priority } from '../tickets/priority-matrix.js';
import { assertMayReadAgent, assertMayReadDashboard, assertMayReadTeam } from './analytics-access.js';
import {
  firstResponseFigures,
  reopenRate,
  resolutionFigures,
  satisfactionFigures,
  slaFigures,
  type DurationFigures,
  type SatisfactionFigures,
  type SlaTargetFigures,
} from './analytics-figures.js';
import type { AgentTally, AnalyticsFilter, AnalyticsQueries, Backlog, DayFigures, StaffMember } from './analytics-queries.port.js';
import { parseAnalyticsRange, type AnalyticsRange } from './analytics-range.js';
import { AgentNotFoundError } from './analytics.errors.js';

export interface RangeInput {
  from?: string;
  to?: string;
  tz?: string;
}

export interface SlaFigures {
  firstResponse: SlaTargetFigures;
  resolution: SlaTargetFigures;
}

export interface Dashboard {
  from: string;
  to: string;
  timeZone: string;
  totals: { created: number; resolved: number; reopened: number; open: number; slaBreached: number };
  backlog: Backlog;
  perDay: DayFigures[];
  firstResponse: DurationFigures;
  resolution: DurationFigures;
  sla: SlaFigures;
  reopenRate: number;
  satisfaction: SatisfactionFigures;
}

export interface AgentFigures {
  agentId: string;
  name: string;
  /** Created in the range and assigned to the agent now. */
  assigned: number;
  /** Assigned to the agent and resolved in the range. */
  resolved: number;
  /** The agent's open tickets now. */
  open: number;
  firstResponse: DurationFigures;
  resolution: DurationFigures;
  sla: SlaFigures;
  satisfaction: SatisfactionFigures;
  /** Recognition: all-time points (the ledger's sum) and the level they reach. */
  points: number;
  level: string;
}

/**
 * The three analytics reads. Access is decided here: agents and admins see the dashboard, an agent their own
 * figures, an admin anyone's and the team view; requesters nothing.
 */
export class ReadAnalytics {
  constructor(
    private readonly queries: AnalyticsQueries,
    private readonly clock: Clock,
    private readonly standings: AgentStandings,
  ) {}

  async dashboard(actor: Actor, input: RangeInput & AnalyticsFilter): Promise<Dashboard> {
    assertMayReadDashboard(actor);
    const range = parseAnalyticsRange(input, this.clock.now());
    const filter: AnalyticsFilter = defined({ groupId: input.groupId, categoryId: input.categoryId, priority: input.priority });
    const { tally, perDay, backlog } = await this.queries.dashboard(range, filter);
    return {
      ...header(range),
      totals: {
        created: tally.created,
        resolved: tally.resolved,
        reopened: tally.reopened,
        open: tally.open,
        slaBreached: tally.slaBreached,
      },
      backlog,
      perDay,
      firstResponse: firstResponseFigures(tally),
      resolution: resolutionFigures(tally),
      sla: slaFigures(tally),
      reopenRate: reopenRate(tally),
      satisfaction: satisfactionFigures(tally),
    };
  }

  async agent(actor: Actor, agentId: string, input: RangeInput): Promise<AgentFigures> {
    assertMayReadAgent(actor, agentId);
    const range = parseAnalyticsRange(input, this.clock.now());
    const agent = await this.queries.findStaff(agentId);
    if (!agent) throw new AgentNotFoundError(agentId);
    const [row] = await this.rows(range, [agent]);
    return row;
  }

  async team(actor: Actor, input: RangeInput & { groupId?: string }): Promise<{ items: AgentFigures[] }> {
    assertMayReadTeam(actor);
    const range = parseAnalyticsRange(input, this.clock.now());
    if (input.groupId !== undefined && !(await this.queries.groupExists(input.groupId))) {
      throw new GroupNotFoundError(input.groupId);
    }
    const agents = await this.queries.agents(input.groupId);
    return { items: await this.rows(range, agents, input.groupId) };
  }

  private async rows(range: AnalyticsRange, agents: StaffMember[], groupId?: string): Promise<AgentFigures[]> {
    const ids = agents.map((a) => a.id);
    const [tallies, standings] = await Promise.all([
      this.queries.agentTallies(range, ids, groupId),
      this.standings.of(ids),
    ]);
    const byId = new Map<string, AgentTally>(tallies.map((t) => [t.agentId, t]));
    return agents.map((agent) => {
      const { tally, open } = byId.get(agent.id)!;
      const standing = standings.get(agent.id)!;
      return {
        agentId: agent.id,
        name: agent.name,
        assigned: tally.created,
        resolved: tally.resolved,
        open,
        firstResponse: firstResponseFigures(tally),
        resolution: resolutionFigures(tally),
        sla: slaFigures(tally),
        satisfaction: satisfactionFigures(tally),
        points: standing.points,
        level: standing.level,
      };
    });
  }
}

const header = (range: AnalyticsRange) => ({ from: range.from, to: range.to, timeZone: range.timeZone });

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export type { Priority };
