import type { SlaPolicyProps } from './sla-policy.js';

/**
 * A stored policy. It applies to the tickets of its categories (each category follows at most one policy) and,
 * when it is the default, to every other ticket; a ticket neither matches follows no policy.
 */
export interface SlaPolicy extends SlaPolicyProps {
  categoryIds: string[];
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The policy that applies to a category, with the category it was looked up for. */
export interface CategoryPolicy {
  categoryId: string | null;
  policy: SlaPolicy | null;
}

export abstract class SlaPolicyRepository {
  abstract findById(id: string): Promise<SlaPolicy | null>;
  /** Row-locks the policy until the transaction ends. */
  abstract lockById(id: string): Promise<SlaPolicy | null>;
  abstract list(): Promise<SlaPolicy[]>;
  /**
   * Inserts or updates the policy. Its categories are taken from any other policy, and when it is the default the
   * previous default stops being one.
   */
  abstract save(policy: SlaPolicy): Promise<void>;
  abstract delete(id: string): Promise<void>;
  /** The policy of the category, else the default policy, else null. */
  abstract policyFor(categoryId: string | null): Promise<SlaPolicy | null>;
  /**
   * `policyFor` the ticket's category as the ticket is now, with that category (a caller that read the ticket apart
   * checks it is the same); null when there is no such ticket.
   */
  abstract policyForTicket(ticketId: string): Promise<CategoryPolicy | null>;
  /** Tickets whose clocks follow the policy (finished ones included: they keep it as their record). */
  abstract ticketCount(id: string): Promise<number>;
}
