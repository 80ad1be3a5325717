import type { Candidate } from './choose-assignee.js';
import type { Group } from './group.js';
import type { Ticket } from '../tickets/ticket.js';

export abstract class GroupRepository {
  abstract findById(id: string): Promise<Group | null>;
  /** Row-locks the group until the transaction ends: assignments within a group happen one at a time. */
  abstract lockById(id: string): Promise<Group | null>;
  abstract list(): Promise<Group[]>;
  /** Throws GroupNameTakenError on a name used by another group (case-insensitive). */
  abstract insert(group: Group): Promise<void>;
  /** Saves settings, members and the round-robin position. */
  abstract save(group: Group): Promise<void>;
  abstract delete(id: string): Promise<void>;
  /** Moves the round-robin position (settings and members untouched). */
  abstract recordAssignment(groupId: string, userId: string): Promise<void>;
  /** Tickets that belong to the group, deleted ones included (a restore brings them back). */
  abstract ticketCount(id: string): Promise<number>;
  /**
   * The group's members with what assignment needs to know about them now. Counting each member's open tickets
   * costs a scan of them: without `openCounts`, `openTickets` is 0 (round-robin without a cap does not look at it).
   */
  abstract candidates(groupId: string, options: { openCounts: boolean }): Promise<Candidate[]>;
  /** Whether the group hands tickets out (its strategy is not manual) and has an unassigned open ticket (no lock taken). */
  abstract hasWaiting(groupId: string): Promise<boolean>;
  /**
   * Up to `limit` oldest unassigned open tickets of the group, locked, oldest first. A ticket another transaction
   * holds (another consumer, an agent's edit) is waited for, not skipped: skipped, it could wait in the group with
   * no further event to hand it out. Drains of one group are already serialised by the group lock.
   */
  abstract lockWaiting(groupId: string, limit: number): Promise<Ticket[]>;
  /** Groups the user belongs to. */
  abstract groupIdsOf(userId: string): Promise<string[]>;
  /** An agent's own "I'm available for new tickets" switch. */
  abstract setAvailability(userId: string, available: boolean): Promise<void>;
  /** The category's default group, or null. */
  abstract defaultGroupOf(categoryId: string): Promise<string | null>;
  /** The default group of the ticket's category as the ticket is now, or null (no category, no default, no ticket). */
  abstract defaultGroupOfTicket(ticketId: string): Promise<string | null>;
}
