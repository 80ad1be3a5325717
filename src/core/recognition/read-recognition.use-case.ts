import { isAdmin, isStaff, type Actor } from '../identity/actor.js';
import { UserNotFoundError } from '../identity/identity.errors.js';
import { UserRepository } from '../identity/user-repository.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import type { Page } from '../shared/paging.js';
import { AgentStandings, type AgentStanding } from './agent-standings.js';
import type { Level, LevelScale } from './level-scale.js';
import { RecognitionQueries, type PointsEntry } from './recognition.ports.js';
import type { RecognitionRules } from './recognition-rules.js';

export const LEADERBOARD_PERIODS = ['week', 'month', 'all'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

/** Where a period starts, in UTC: this ISO week's Monday 00:00, this month's 1st 00:00, or null for all time. */
export function periodStart(period: LeaderboardPeriod, now: Date): Date | null {
  if (period === 'all') return null;
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), period === 'month' ? 1 : now.getUTCDate());
  if (period === 'month') return new Date(midnight);
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * 86_400_000);
}

export interface LeaderboardEntry extends AgentStanding {
  rank: number;
  agentId: string;
  name: string;
}

export interface Leaderboard {
  period: LeaderboardPeriod;
  from: Date | null;
  items: LeaderboardEntry[];
}

/** The leaderboard (staff) and the points ledgers (the agent themselves, or an admin). */
export class ReadRecognition {
  constructor(
    private readonly queries: RecognitionQueries,
    private readonly standings: AgentStandings,
    private readonly users: UserRepository,
    private readonly rules: RecognitionRules,
    private readonly levels: LevelScale,
  ) {}

  /** The points per rule and the levels in force (staff: requesters have no points). */
  rulesInForce(actor: Actor): { rules: Record<string, number>; levels: Level[] } {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins can see the recognition rules', 'RECOGNITION_FORBIDDEN');
    return { rules: this.rules.toJSON(), levels: this.levels.levels.map((l) => ({ ...l })) };
  }

  async leaderboard(actor: Actor, period: LeaderboardPeriod, now: Date): Promise<Leaderboard> {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins can see the leaderboard', 'LEADERBOARD_FORBIDDEN');
    const from = periodStart(period, now);
    const rows = await this.queries.leaderboard(from);
    let rank = 0;
    const items = rows.map((row, i): LeaderboardEntry => {
      // Equal points share a rank (1, 2, 2, 4).
      if (i === 0 || row.points !== rows[i - 1]!.points) rank = i + 1;
      const standing = this.standings.standing(row.totalPoints);
      return { rank, agentId: row.agentId, name: row.name, points: row.points, level: standing.level };
    });
    return { period, from, items };
  }

  async ledger(
    actor: Actor,
    agentId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<PointsEntry> & { standing: AgentStanding }> {
    if (!isStaff(actor)) throw new ForbiddenError('Requesters have no points ledger to read', 'LEDGER_FORBIDDEN');
    if (!isAdmin(actor) && actor.id !== agentId) {
      throw new ForbiddenError("Agents can read only their own points ledger; admins read anyone's", 'LEDGER_FORBIDDEN');
    }
    if (actor.id !== agentId && !(await this.users.findById(agentId))) throw new UserNotFoundError(agentId);
    const [entries, standing] = await Promise.all([this.queries.ledger(agentId, page), this.standings.ofOne(agentId)]);
    return { ...entries, standing };
  }
}
