import type { SlaEvent } from '../../../src/core/sla/sla-clock.js';
import { SlaPolicyRepository, type CategoryPolicy, type SlaPolicy } from '../../../src/core/sla/sla-policy-repository.port.js';
import { summaryOf, type RecordedSlaEvent, type TicketSla, type TicketSlaSummary } from '../../../src/core/sla/ticket-sla.js';
import { SlaQueries, TicketSlaRepository } from '../../../src/core/sla/ticket-sla-repository.port.js';
import { SlaTimers } from '../../../src/core/sla/sla-timers.port.js';
import type { InMemoryDatabase } from './in-memory-database.js';
import { asJsonb, type Tables } from './tables.js';

const copy = <T>(value: T): T => structuredClone(value);

/** As SqlSlaPolicyRepository: a category follows one policy, one default at most, categories taken over on save. */
export class InMemorySlaPolicyRepository extends SlaPolicyRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async findById(id: string): Promise<SlaPolicy | null> {
    const p = this.tables().slaPolicies.get(id);
    return p ? copy(p) : null;
  }

  lockById(id: string): Promise<SlaPolicy | null> {
    return this.findById(id);
  }

  async list(): Promise<SlaPolicy[]> {
    return copy([...this.tables().slaPolicies.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())));
  }

  async save(policy: SlaPolicy): Promise<void> {
    const t = this.tables();
    for (const id of policy.categoryIds) if (!t.categories.has(id)) throw new Error(`FK categories ${id}`);
    const existing = t.slaPolicies.get(policy.id);
    for (const other of t.slaPolicies.values()) {
      if (other.id === policy.id) continue;
      other.categoryIds = other.categoryIds.filter((c) => !policy.categoryIds.includes(c));
      if (policy.isDefault) other.isDefault = false;
    }
    t.slaPolicies.set(policy.id, copy({ ...policy, createdAt: existing?.createdAt ?? policy.createdAt, categoryIds: [...policy.categoryIds].sort() }));
  }

  async delete(id: string): Promise<void> {
    this.tables().slaPolicies.delete(id);
  }

  async policyFor(categoryId: string | null): Promise<SlaPolicy | null> {
    const policies = [...this.tables().slaPolicies.values()];
    const policy =
      (categoryId && policies.find((p) => p.categoryIds.includes(categoryId))) || policies.find((p) => p.isDefault) || null;
    return policy ? copy(policy) : null;
  }

  async policyForTicket(ticketId: string): Promise<CategoryPolicy | null> {
    const ticket = this.tables().tickets.get(ticketId);
    return ticket ? { categoryId: ticket.categoryId, policy: await this.policyFor(ticket.categoryId) } : null;
  }

  async ticketCount(id: string): Promise<number> {
    return [...this.tables().ticketSla.values()].filter((r) => r.state.policyId === id).length;
  }
}

export class InMemoryTicketSlaRepository extends TicketSlaRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async lock(ticketId: string): Promise<TicketSla | null> {
    const r = this.tables().ticketSla.get(ticketId);
    return r ? copy(r) : null;
  }

  async save(record: TicketSla): Promise<void> {
    const t = this.tables();
    if (!t.tickets.has(record.ticketId)) throw new Error(`FK tickets ${record.ticketId}`);
    if (!t.slaPolicies.has(record.state.policyId)) throw new Error(`FK sla_policies ${record.state.policyId}`);
    t.ticketSla.set(record.ticketId, copy(record));
  }

  async appendEvents(ticketId: string, events: SlaEvent[]): Promise<void> {
    for (const e of events) {
      this.tables().slaEvents.push({ ...copy(e), details: asJsonb(e.details) as Record<string, unknown>, ticketId });
    }
  }

  async dueForCheck(now: Date, limit: number): Promise<string[]> {
    return [...this.tables().ticketSla.values()]
      .filter((r) => r.nextCheckAt !== null && r.nextCheckAt <= now)
      .sort((a, b) => a.nextCheckAt!.getTime() - b.nextCheckAt!.getTime())
      .slice(0, limit)
      .map((r) => r.ticketId);
  }

  async runningOn(policyId: string): Promise<string[]> {
    return [...this.tables().ticketSla.values()]
      .filter((r) => r.state.policyId === policyId && r.state.resolvedAt === null)
      .map((r) => r.ticketId)
      .sort();
  }
}

/** The read side over the committed rows. */
export class InMemorySlaQueries extends SlaQueries {
  constructor(private readonly db: InMemoryDatabase) {
    super();
  }

  async summaryOf(ticketId: string): Promise<TicketSlaSummary | null> {
    const r = this.db.readCommitted().ticketSla.get(ticketId);
    return r ? copy(summaryOf(r.state)) : null;
  }

  async events(ticketId: string): Promise<RecordedSlaEvent[]> {
    return copy(
      this.db
        .readCommitted()
        .slaEvents.filter((e) => e.ticketId === ticketId)
        .sort((a, b) => a.at.getTime() - b.at.getTime()),
    );
  }
}

/** Records the timers the SLA use cases set, instead of waking anything. */
export class RecordingSlaTimers extends SlaTimers {
  readonly scheduled: { ticketId: string; at: Date }[] = [];

  async schedule(ticketId: string, at: Date): Promise<void> {
    this.scheduled.push({ ticketId, at });
  }

  /** The latest timer set for the ticket. */
  last(ticketId: string): Date | undefined {
    return this.scheduled.filter((t) => t.ticketId === ticketId).at(-1)?.at;
  }
}
