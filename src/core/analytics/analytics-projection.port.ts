/**
 * The rollups behind the analytics: per-ticket facts and the sums made of them, kept in step with the raw rows.
 * Refreshing a ticket recomputes its facts from its rows and moves its contribution from the old facts to the
 * new ones, so running it twice (a replayed event) changes nothing.
 */
export abstract class AnalyticsProjection {
  /**
   * Recomputes these tickets' facts and their share of the rollups. Returns the ids whose SLA clocks have not yet
   * caught up with the ticket (reopened, but the resolution clock still stopped): their facts are left as they were.
   */
  abstract refresh(ticketIds: readonly string[]): Promise<{ behind: string[] }>;
  /** Recomputes every fact and rollup from the raw rows, in one transaction. */
  abstract rebuild(): Promise<{ tickets: number }>;
}
