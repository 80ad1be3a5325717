import { isAdmin, isStaff, type Actor } from '../identity/actor.js';

/** Who may see a ticket: staff see all live tickets, requesters their own, admins also deleted ones. */
export function canSeeTicket(actor: Actor, ticket: { requesterId: string; deletedAt: Date | null }): boolean {
  if (ticket.deletedAt) return isAdmin(actor);
  return isStaff(actor) || ticket.requesterId === actor.id;
}
