import type { LevelScale } from './level-scale.js';
import { RecognitionQueries } from './recognition.ports.js';

export interface AgentStanding {
  /** All-time points: the sum of the agent's ledger, as the leaderboard shows for period=all. */
  points: number;
  level: string;
}

/** Points and level per agent, for /auth/me, the leaderboard and analytics' agent rows. */
export class AgentStandings {
  constructor(
    private readonly queries: RecognitionQueries,
    private readonly levels: LevelScale,
  ) {}

  /** A standing for every id asked (0 points and the lowest level when the agent has no entries). */
  async of(agentIds: readonly string[]): Promise<Map<string, AgentStanding>> {
    const unique = [...new Set(agentIds)];
    const totals = unique.length ? await this.queries.totals(unique) : new Map<string, number>();
    return new Map(unique.map((id) => [id, this.standing(totals.get(id) ?? 0)]));
  }

  async ofOne(agentId: string): Promise<AgentStanding> {
    return (await this.of([agentId])).get(agentId)!;
  }

  standing(points: number): AgentStanding {
    return { points, level: this.levels.levelOf(points) };
  }
}
