import { InvalidInputError } from '../shared/domain-error.js';
import { checkText } from '../shared/text.js';
import type { TicketSnapshot } from '../tickets/ticket.js';
import { FINISHED_STATUSES } from '../tickets/ticket-lifecycle.js';

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const RATING_COMMENT_MAX = 2000;

/** What a ticket shows of its latest rating. */
export interface Satisfaction {
  rating: number;
  comment: string | null;
  ratedAt: Date;
}

/** One requester's verdict on one resolution of a ticket. */
export interface TicketRating extends Satisfaction {
  id: string;
  ticketId: string;
  /** The instant of the resolution it rates (the ticket's resolvedAt, or closedAt when closed without one). */
  resolutionAt: Date;
  requesterId: string;
  /** Who had the ticket when it was rated (recognition credits them). */
  assigneeId: string | null;
}

export function checkRating(value: number): number {
  if (!Number.isInteger(value) || value < RATING_MIN || value > RATING_MAX) {
    throw new InvalidInputError('rating', `must be an integer from ${RATING_MIN} to ${RATING_MAX}`);
  }
  return value;
}

/** Trimmed; an empty or absent comment is null. */
export function checkRatingComment(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = checkText('comment', value, { min: 0, max: RATING_COMMENT_MAX, multiline: true });
  return trimmed.length ? trimmed : null;
}

/**
 * The resolution a rating now would rate, or null when the ticket is not resolved or closed. A resolution is
 * identified by its instant: each resolution sets resolvedAt anew and a reopen clears it, so "one rating per
 * resolution" is one rating per (ticket, instant). A ticket closed without being resolved is rated on its closing.
 */
export function resolutionOf(t: Pick<TicketSnapshot, 'status' | 'resolvedAt' | 'closedAt'>): Date | null {
  if (!(FINISHED_STATUSES as readonly string[]).includes(t.status)) return null;
  return t.resolvedAt ?? t.closedAt;
}
