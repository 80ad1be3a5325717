import { createHash, randomUUID } from 'node:crypto';
import { isStaff, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { checkClassification } from './classification.js';
import { IdempotencyKeyReusedError, InvalidReferenceError, TicketNotFoundError } from './ticket.errors.js';
import { PriorityMatrix, type Priority, type Severity, type Urgency } from './priority-matrix.js';
import { Ticket } from './ticket.js';
import { canSeeTicket } from './ticket-access.js';
import { recordTicketChange } from './ticket-recorder.js';

export interface CreateTicketInput {
  title: string;
  description: string;
  severity?: Severity;
  urgency?: Urgency;
  priority?: Priority;
  categoryId?: string | null;
  subcategoryId?: string | null;
  requesterId?: string;
  tags?: string[];
  idempotencyKey?: string;
}

export interface CreatedTicket {
  ticket: Ticket;
  /** True when an Idempotency-Key replay returned the first request's result (the ticket as it was created). */
  replayed: boolean;
}

const CLASSIFICATION_FIELDS = ['categoryId', 'subcategoryId', 'severity', 'urgency'] as const;

function requestHash(input: CreateTicketInput): string {
  const { idempotencyKey: _key, ...body } = input;
  const canonical = JSON.stringify(body, Object.keys(body).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

export class CreateTicket {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly matrix: PriorityMatrix,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: CreateTicketInput): Promise<CreatedTicket> {
    const requesterId = input.requesterId ?? actor.id;
    if (requesterId !== actor.id && !isStaff(actor)) {
      throw new ForbiddenError('Only agents and admins can open a ticket for someone else', 'REQUESTER_FORBIDDEN');
    }
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const id = randomUUID();
      if (input.idempotencyKey) {
        const hash = requestHash(input);
        const earlier = await tx.idempotency.claim(actor.id, input.idempotencyKey, { requestHash: hash, ticketId: id }, now);
        if (earlier) {
          if (earlier.requestHash !== hash) throw new IdempotencyKeyReusedError();
          const ticket = await tx.tickets.findById(earlier.ticketId);
          // A replay shows nothing the caller could not read directly (e.g. a ticket an admin deleted since).
          if (!ticket || !canSeeTicket(actor, ticket.snapshot())) throw new TicketNotFoundError(earlier.ticketId);
          return { ticket: earlier.result ? Ticket.restore(earlier.result) : ticket, replayed: true };
        }
      }
      // Independent lookups, sent together (one round trip on a pipelined connection), checked in this order.
      // A number drawn for a request that then fails is skipped, as after any rolled-back insert.
      const requesterLookup = requesterId !== actor.id ? tx.users.findById(requesterId) : null;
      const classificationCheck = checkClassification(tx.categories, input.categoryId ?? null, input.subcategoryId ?? null);
      const numbered = tx.tickets.nextNumber();
      // Whichever is not awaited (an earlier check failed) must not count as unhandled.
      classificationCheck.catch(() => undefined);
      numbered.catch(() => undefined);
      if (requesterLookup) {
        const requester = await requesterLookup;
        if (!requester || !requester.active) {
          throw new InvalidReferenceError('requesterId', 'must be an active user');
        }
      }
      const classification = await classificationCheck;
      const number = await numbered;
      const ticket = Ticket.open(
        {
          id,
          number,
          title: input.title,
          description: input.description,
          severity: input.severity ?? 'medium',
          urgency: input.urgency ?? 'medium',
          priority: input.priority,
          ...classification,
          requesterId,
          tags: input.tags ?? [],
        },
        actor,
        this.matrix,
        now,
      );
      await tx.tickets.insert(ticket);
      // Which classification fields the creator chose: triage never overrides those (see RunTriage).
      const setByCreator = CLASSIFICATION_FIELDS.filter((field) => input[field] !== undefined && input[field] !== null);
      await recordTicketChange(tx, actor, ticket, 'ticket.created', [{ type: 'created' }], now, { setByCreator });
      if (input.idempotencyKey) await tx.idempotency.complete(actor.id, input.idempotencyKey, ticket.snapshot());
      return { ticket, replayed: false };
    });
  }
}
