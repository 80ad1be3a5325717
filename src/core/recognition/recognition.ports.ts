import type { Page } from '../shared/paging.js';

/** One line of an agent's points ledger. */
export interface PointsEntry {
  id: string;
  agentId: string;
  /** The outbox event that caused it: with rule and agent, what makes an award happen once. */
  eventId: string;
  rule: string;
  /** Never 0. */
  points: number;
  reason: string;
  ticketId: string | null;
  /** When what it rewards happened (the event's time). */
  at: Date;
  /** The entry it cancels (a resolution award taken back by a reopen), if any. */
  reverses: string | null;
}

/** The ledger inside one recognition transaction. */
export abstract class PointsLedger {
  /** Serialises the recognition work on one ticket until the transaction ends. */
  abstract lockTicket(ticketId: string): Promise<void>;
  /** Records the entry and adds it to the agent's total; false (nothing written) when (event, rule, agent) exists. */
  abstract record(entry: PointsEntry): Promise<boolean>;
  /** Remembers that the ticket was reopened at `at` (once per event). */
  abstract recordReopen(ticketId: string, eventId: string, at: Date): Promise<void>;
  /** Whether a reopen of the ticket later than `at` was recorded. */
  abstract reopenedAfter(ticketId: string, at: Date): Promise<boolean>;
  /** The ticket's entries of `rule` before `before` that no entry cancels yet. */
  abstract uncancelled(ticketId: string, rule: string, before: Date): Promise<PointsEntry[]>;
}

export abstract class RecognitionUnitOfWork {
  abstract run<T>(work: (tx: { ledger: PointsLedger }) => Promise<T>): Promise<T>;
}

export interface LeaderboardRow {
  agentId: string;
  name: string;
  /** Points in the period. */
  points: number;
  /** Points of all time (the level is by these). */
  totalPoints: number;
}

/** Read side of recognition. */
export abstract class RecognitionQueries {
  /** Every active agent and admin with their points since `since` (a UTC midnight; all time when null), best first. */
  abstract leaderboard(since: Date | null): Promise<LeaderboardRow[]>;
  /** An agent's entries, newest first, keyset-paginated. */
  abstract ledger(agentId: string, page: { limit: number; cursor?: string }): Promise<Page<PointsEntry>>;
  /** All-time totals (the sum of each agent's ledger); agents without entries are absent. */
  abstract totals(agentIds: readonly string[]): Promise<Map<string, number>>;
}
