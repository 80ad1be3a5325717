import type { TicketStatus } from './ticket-status.js';

/**
 * What "open", "resolved" and "reopened" mean, once: SQL adapters, metrics, analytics and recognition use these
 * instead of retyping the statuses.
 */

/** A ticket that still needs work: not resolved and not closed. */
export const OPEN_STATUSES = ['new', 'open', 'in_progress', 'pending'] as const satisfies readonly TicketStatus[];
/** Work on the ticket is done: resolved (may be reopened) or closed (final). */
export const FINISHED_STATUSES = ['resolved', 'closed'] as const satisfies readonly TicketStatus[];

export const isOpenStatus = (status: TicketStatus): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

/** A status change that resolves the ticket (its `resolvedAt` is set to the change's time). */
export const isResolution = (from: TicketStatus, to: TicketStatus): boolean => to === 'resolved' && from !== 'resolved';

/** A status change that takes a resolved ticket back into work (by staff or by its requester). */
export const isReopen = (from: TicketStatus, to: TicketStatus): boolean =>
  (FINISHED_STATUSES as readonly string[]).includes(from) && isOpenStatus(to);

/** `'a','b'` for SQL `IN (…)`: the statuses are fixed identifiers from this file, never input. */
export const sqlStatusList = (statuses: readonly TicketStatus[]): string => statuses.map((s) => `'${s}'`).join(',');
