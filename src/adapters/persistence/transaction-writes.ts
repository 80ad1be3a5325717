/**
 * What one transaction changed that a read cache may hold: filled by the repositories of the transaction and
 * handed to the unit of work's after-commit listeners (never when it rolled back). SqlTicketRepository.save,
 * SqlTicketSlaRepository.save (a ticket read carries its SLA) and SqlCategoryRepository's writes record themselves; a repository that updates `tickets` or `categories` rows with
 * its own SQL must record the change here too, or readers may be served the row as it was before.
 */
export class TransactionWrites {
  /** Ids of existing tickets updated, or whose SLA clocks changed (new tickets are not listed: nothing can have cached them). */
  readonly tickets = new Set<string>();
  /** A category was created, renamed, moved or deleted. */
  categories = false;

  get isEmpty(): boolean {
    return this.tickets.size === 0 && !this.categories;
  }
}
