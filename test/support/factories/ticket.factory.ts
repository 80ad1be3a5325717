import { randomUUID } from 'node:crypto';
import { DEFAULT_PRIORITY_TABLE } from '../../../src/core/tickets/priority-matrix.js';
import { Ticket, type TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import { FACTORY_TIME } from './identity.factory.js';

let number = 1000;

/**
 * A consistent ticket snapshot: priority follows the default matrix unless given, and a resolved or closed status
 * comes with its timestamp. `requesterId` is random: seed that user where references are checked.
 */
export function aTicketSnapshot(overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  const severity = overrides.severity ?? 'medium';
  const urgency = overrides.urgency ?? 'medium';
  const status = overrides.status ?? 'new';
  const updatedAt = overrides.updatedAt ?? overrides.createdAt ?? FACTORY_TIME;
  return {
    id: randomUUID(),
    number: number++,
    title: 'Printer offline',
    description: 'The printer on floor 3 shows offline since this morning',
    status,
    priority: DEFAULT_PRIORITY_TABLE[severity][urgency],
    priorityOverride: null,
    severity,
    urgency,
    categoryId: null,
    subcategoryId: null,
    requesterId: randomUUID(),
    assigneeId: null,
    groupId: null,
    tags: [],
    createdAt: FACTORY_TIME,
    updatedAt,
    resolvedAt: status === 'resolved' ? updatedAt : null,
    closedAt: status === 'closed' ? updatedAt : null,
    deletedAt: null,
    version: 1,
    ...overrides,
  };
}

/** `aTicket({ priority: 'high', status: 'open' })`: a ticket aggregate rehydrated from `aTicketSnapshot`. */
export function aTicket(overrides: Partial<TicketSnapshot> = {}): Ticket {
  return Ticket.restore(aTicketSnapshot(overrides));
}
