import type { TransactionScope } from '../../../src/core/shared/unit-of-work.port.js';
import { aUser } from '../factories/identity.factory.js';
import { aTicket } from '../factories/ticket.factory.js';

/** For the contract tests: a new requester and one ticket of theirs per category given (null: no category). */
export async function insertTicketsIn(tx: TransactionScope, categoryIds: (string | null)[]): Promise<string[]> {
  const requester = aUser();
  await tx.users.insert(requester, null);
  const ids: string[] = [];
  for (const categoryId of categoryIds) {
    const ticket = aTicket({ requesterId: requester.id, number: await tx.tickets.nextNumber(), categoryId });
    await tx.tickets.insert(ticket);
    ids.push(ticket.id);
  }
  return ids;
}
