import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentStandings } from '../../../src/core/recognition/agent-standings.js';
import { LevelScale } from '../../../src/core/recognition/level-scale.js';
import { ReadRecognition } from '../../../src/core/recognition/read-recognition.use-case.js';
import { RecognitionQueries, type LeaderboardRow, type PointsEntry } from '../../../src/core/recognition/recognition.ports.js';
import { RecognitionRules } from '../../../src/core/recognition/recognition-rules.js';
import { UserNotFoundError } from '../../../src/core/identity/identity.errors.js';
import type { UserRepository } from '../../../src/core/identity/user-repository.port.js';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import type { Page } from '../../../src/core/shared/paging.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from '../tickets/ticket-world.js';

/** Totals and a leaderboard given by the test; the ledger is empty. */
class GivenQueries extends RecognitionQueries {
  since: Date | null | undefined;
  constructor(
    private readonly rows: LeaderboardRow[],
    private readonly all: Map<string, number>,
  ) {
    super();
  }
  async leaderboard(since: Date | null): Promise<LeaderboardRow[]> {
    this.since = since;
    return this.rows;
  }
  async ledger(): Promise<Page<PointsEntry>> {
    return { items: [], nextCursor: null };
  }
  async totals(ids: readonly string[]): Promise<Map<string, number>> {
    return new Map([...this.all].filter(([id]) => ids.includes(id)));
  }
}

function setup(rows: LeaderboardRow[] = [], totals = new Map<string, number>()) {
  const w = ticketWorld();
  const queries = new GivenQueries(rows, totals);
  const standings = new AgentStandings(queries, LevelScale.defaults());
  // Only findById is used: each look-up reads the in-memory database's committed users.
  const users = { findById: (id: string) => w.uow.run((tx) => tx.users.findById(id)) } as UserRepository;
  const read = new ReadRecognition(queries, standings, users, RecognitionRules.defaults(), LevelScale.defaults());
  return { ...w, queries, standings, read };
}

const row = (points: number, totalPoints = points): LeaderboardRow => ({ agentId: randomUUID(), name: `a${points}`, points, totalPoints });

describe('ReadRecognition', () => {
  it('ranks the leaderboard (ties share a rank) with levels by all-time points, from the period start', async () => {
    const { read, queries, agent } = setup([row(60, 60), row(20, 160), row(20, 20), row(-3, 400)]);
    const board = await read.leaderboard(agent, 'week', new Date('2026-12-03T10:00:00Z'));
    expect(queries.since).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(board.from).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(board.items.map(({ rank, points, level }) => [rank, points, level])).toEqual([
      [1, 60, 'Apprentice'],
      [2, 20, 'Professional'],
      [2, 20, 'Novice'],
      [4, -3, 'Expert'],
    ]);
  });

  it('the leaderboard and the rules are for staff only', async () => {
    const { read, alice, admin } = setup();
    expect(await failureOf(() => read.leaderboard(alice, 'all', new Date()))).toBeInstanceOf(ForbiddenError);
    expect(() => read.rulesInForce(alice)).toThrow(ForbiddenError);
    expect((await read.leaderboard(admin, 'all', new Date())).from).toBeNull();
  });

  it('a ledger is read by its agent or an admin; other agents and requesters are refused', async () => {
    const { read, agent, otherAgent, admin, alice } = setup([], new Map());
    expect(await read.ledger(agent, agent.id, { limit: 10 })).toEqual({ items: [], nextCursor: null, standing: { points: 0, level: 'Novice' } });
    expect((await failureOf(() => read.ledger(otherAgent, agent.id, { limit: 10 })))).toBeInstanceOf(ForbiddenError);
    expect((await failureOf(() => read.ledger(alice, alice.id, { limit: 10 })))).toBeInstanceOf(ForbiddenError);
    expect((await failureOf(() => read.ledger(admin, randomUUID(), { limit: 10 })))).toBeInstanceOf(UserNotFoundError);
  });

  it('AgentStandings gives every id asked a standing, 0 and the lowest level without entries', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const { standings } = setup([], new Map([[a, 420]]));
    expect(await standings.of([a, b, a])).toEqual(new Map([[a, { points: 420, level: 'Expert' }], [b, { points: 0, level: 'Novice' }]]));
    expect(await standings.of([])).toEqual(new Map());
  });
});
