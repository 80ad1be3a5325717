import { CheckSlaClocks, SweepSlaClocks } from '../../../src/core/sla/check-sla.use-case.js';
import { ManageSlaPolicies, type SlaPolicyRequest } from '../../../src/core/sla/manage-sla-policies.use-case.js';
import { SLA_TRACKED_EVENTS, TrackSla } from '../../../src/core/sla/track-sla.use-case.js';
import type { Actor } from '../../../src/core/identity/actor.js';
import { AddComment } from '../../../src/core/tickets/add-comment.use-case.js';
import { ChangeTicketStatus } from '../../../src/core/tickets/change-ticket-status.use-case.js';
import { CreateTicket, type CreateTicketInput } from '../../../src/core/tickets/create-ticket.use-case.js';
import { DeleteTicket } from '../../../src/core/tickets/delete-ticket.use-case.js';
import type { TicketStatus } from '../../../src/core/tickets/ticket-status.js';
import type { TicketPatch } from '../../../src/core/tickets/ticket.js';
import { UpdateTicket } from '../../../src/core/tickets/update-ticket.use-case.js';
import { InMemorySlaQueries, RecordingSlaTimers } from '../../support/fakes/in-memory-sla.js';
import { ticketWorld } from '../tickets/ticket-world.js';
import { office } from './calendars.js';
import { STANDARD_TARGETS } from './policies.js';

/**
 * The ticket use cases and the SLA worker over one in-memory database. `pump()` plays the relay: it hands every
 * outbox event the SLA queue subscribes to, not handed yet, to TrackSla in order.
 */
export function slaWorld(divisor = 1) {
  const w = ticketWorld();
  const timers = new RecordingSlaTimers();
  const settings = { targetDivisor: divisor };
  const track = new TrackSla(w.uow, timers, w.clock, settings);
  const check = new CheckSlaClocks(w.uow, timers, w.clock, settings);
  const sweep = new SweepSlaClocks(w.uow, check, w.clock);
  const policies = new ManageSlaPolicies(w.uow, w.db.autocommit.slaPolicies, w.clock);
  const queries = new InMemorySlaQueries(w.db);
  const create = new CreateTicket(w.uow, w.matrix, w.clock);
  const update = new UpdateTicket(w.uow, w.matrix, w.clock);
  const status = new ChangeTicketStatus(w.uow, w.clock);
  const comment = new AddComment(w.uow, w.clock);
  const remove = new DeleteTicket(w.uow, w.clock);
  const handed = new Set<string>();

  const pump = async () => {
    for (const event of w.db.outbox()) {
      if (handed.has(event.id) || !(SLA_TRACKED_EVENTS as readonly string[]).includes(event.type)) continue;
      handed.add(event.id);
      await track.execute(event);
    }
  };

  return {
    ...w,
    timers,
    track,
    check,
    sweep,
    policies,
    queries,
    pump,
    /** An office-hours policy (Mon–Fri 09:00–17:00 UTC, STANDARD_TARGETS), the default one unless told. */
    policy: (overrides: Partial<SlaPolicyRequest> = {}) =>
      policies.create(w.admin, { name: 'Standard', targets: STANDARD_TARGETS, calendar: office(), isDefault: true, ...overrides }),
    open: async (input: Partial<CreateTicketInput> = {}, as: Actor = w.alice) =>
      (await create.execute(as, { title: 'VPN drops', description: 'Every ten minutes', ...input })).ticket.id,
    patch: (id: string, patch: TicketPatch) => update.execute(w.agent, { id, patch }),
    move: (id: string, to: TicketStatus, as: Actor = w.agent, text?: string) =>
      status.execute(as, { id, status: to, ...(text ? { comment: text } : {}) }),
    reply: (id: string, as: Actor, internal = false) => comment.execute(as, { ticketId: id, body: 'On it', internal }),
    remove: (id: string, restore = false) => remove.execute(w.admin, { id, restore }),
    sla: (id: string) => queries.summaryOf(id),
    events: async (id: string) => (await queries.events(id)).map((e) => `${e.clock}:${e.type}`),
    iso: (d: Date | null | undefined) => d?.toISOString() ?? null,
  };
}
