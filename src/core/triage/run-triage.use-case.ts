import { SYSTEM_ACTOR } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { changesOf, type DomainEvent, type EventSummary } from '../shared/domain-event.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { PriorityMatrix } from '../tickets/priority-matrix.js';
import type { TicketPatch, TicketSnapshot } from '../tickets/ticket.js';
import { recordTicketChange } from '../tickets/ticket-recorder.js';
import { findLikelyDuplicates } from './duplicates.js';
import { TriageModel, type TriageField, type TriageSuggestions } from './triage-model.js';
import { TriageModelStore } from './triage-model-store.port.js';
import type { DuplicateCandidateTicket } from './triage-result-repository.port.js';
import { NO_SUGGESTIONS, type AppliedSuggestion, type LikelyDuplicate, type TriageResult } from './triage-result.js';

export const TRIAGE_CONSUMER = 'triage';
export const TRIAGE_FIELDS: readonly TriageField[] = ['categoryId', 'subcategoryId', 'severity', 'urgency'];
/** The requester's open tickets compared for duplicates (newest first), and the duplicates kept. */
const DUPLICATE_CANDIDATES = 200;
const DUPLICATES_KEPT = 10;
/** How long a known model is used before the store is asked again for a newer one. */
export const MODEL_RECHECK_MS = 5_000;

export interface TriageSettings {
  /** Suggestions at least this confident are applied to fields no person chose; the rest are only stored. */
  applyConfidence: number;
  /** Open tickets of the same requester at least this similar are flagged as likely duplicates. */
  duplicateSimilarity: number;
}

type TriageEvent = Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'actorId' | 'payload'>;

/**
 * The triage step of the pipeline, run for ticket.created, and for ticket.updated when a person changed the title or
 * the description (the text the suggestions come from). Once per event (claimed by id), with the ticket row locked:
 * 1. suggests category, subcategory, severity and urgency with the active model;
 * 2. applies each suggestion at least `applyConfidence` sure to a field no person chose (see `chosenByPeople`),
 *    as the system, through the ticket's own update (so the priority matrix follows), with the activity entries
 *    and a ticket.updated event whose `reason` names triage, the model and the confidences;
 * 3. flags the requester's open tickets with very similar text as likely duplicates;
 * 4. stores all of it for the agents. Resolved, closed and deleted tickets are left alone.
 */
export class RunTriage {
  private cached: { version: number; model: TriageModel } | null = null;
  private checkedAt = 0;
  private looking: Promise<{ version: number; model: TriageModel } | null> | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly models: TriageModelStore,
    private readonly matrix: PriorityMatrix,
    private readonly clock: Clock,
    private readonly settings: TriageSettings,
  ) {}

  async execute(event: TriageEvent): Promise<TriageResult | null> {
    if (!isTriageEvent(event)) return null;
    const active = await this.activeModel();
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const ticketId = event.aggregateId;
      // Everything the event alone names is asked in one go (sent at once on a pipelined connection, run in order:
      // the reads after the lock). The requester comes from the event's view of the ticket (it never changes).
      const requesterId = requesterIdOf(event.payload);
      const [claimed, ticket, previous, changedByPeople, early] = await Promise.all([
        tx.processed.claim(TRIAGE_CONSUMER, event.id, now),
        tx.tickets.lockById(ticketId),
        // Nothing triaged a ticket before its creation event (claimed once): no earlier result to look up.
        event.type === 'ticket.created' ? null : tx.triage.find(ticketId),
        tx.triage.fieldsChangedByPeople(ticketId),
        requesterId ? tx.triage.openTicketsOf(requesterId, ticketId, DUPLICATE_CANDIDATES) : null,
      ]);
      if (!claimed || !ticket) return null;
      const before = ticket.snapshot();
      if (before.deletedAt || before.status === 'resolved' || before.status === 'closed') return null;
      const candidates =
        early && requesterId === before.requesterId
          ? early
          : await tx.triage.openTicketsOf(before.requesterId, before.id, DUPLICATE_CANDIDATES);
      const creatorSet = event.type === 'ticket.created' ? creatorSetFrom(event.payload, before) : (previous?.creatorSet ?? null);
      const chosen = chosenByPeople(changedByPeople, creatorSet);
      const suggestions = active ? active.model.suggest(before.title, before.description) : NO_SUGGESTIONS;
      const patch = await this.confidentPatch(tx, before, suggestions, chosen);

      const applied: AppliedSuggestion[] = [];
      // The ticket's and the result's writes are independent: sent together below.
      const writes: Promise<void>[] = [];
      const changes = Object.keys(patch).length ? ticket.update(SYSTEM_ACTOR, patch, this.matrix, now) : [];
      if (changes.length) {
        for (const field of TRIAGE_FIELDS) {
          const suggestion = suggestions[field];
          if (patch[field] !== undefined && suggestion) {
            applied.push({ field, value: suggestion.value, confidence: suggestion.confidence, appliedAt: now });
          }
        }
        const saved = tx.tickets.save(ticket);
        saved.catch(() => undefined); // awaited below; a failure before then must not count as unhandled
        writes.push(saved);
        await recordTicketChange(tx, SYSTEM_ACTOR, ticket, 'ticket.updated', changes, now, {
          reason: {
            source: 'triage',
            modelVersion: active?.version ?? null,
            confidence: Object.fromEntries(applied.map((a) => [a.field, a.confidence])),
          },
        });
      }

      const result: TriageResult = {
        ticketId: before.id,
        suggestions,
        // Earlier runs' applications stay listed unless this run applied the same field again.
        applied: [...(previous?.applied ?? []).filter((a) => !applied.some((b) => b.field === a.field)), ...applied],
        duplicates: this.duplicatesOf(before, candidates),
        modelVersion: active?.version ?? null,
        triagedAt: now,
        creatorSet,
      };
      writes.push(tx.triage.save(result));
      await Promise.all(writes);
      return result;
    });
  }

  /** The confident suggestions for fields no person chose and that are still free, checked against the categories. */
  private async confidentPatch(
    tx: TransactionScope,
    t: TicketSnapshot,
    s: TriageSuggestions,
    chosen: Set<TriageField>,
  ): Promise<TicketPatch> {
    const sure = <T>(field: TriageField, suggestion: { value: T; confidence: number } | null): suggestion is { value: T; confidence: number } =>
      suggestion !== null && suggestion.confidence >= this.settings.applyConfidence && !chosen.has(field);
    const patch: TicketPatch = {};
    if (sure('categoryId', s.categoryId) && t.categoryId === null) {
      const category = await tx.categories.findById(s.categoryId.value);
      if (category && category.parentId === null) patch.categoryId = category.id;
    }
    const categoryId = patch.categoryId ?? t.categoryId;
    // The subcategory is suggested within the suggested category: moot when the ticket is filed elsewhere.
    if (sure('subcategoryId', s.subcategoryId) && t.subcategoryId === null && s.categoryId?.value === categoryId) {
      const sub = await tx.categories.findById(s.subcategoryId.value);
      if (sub && sub.parentId === categoryId) patch.subcategoryId = sub.id;
    }
    if (sure('severity', s.severity) && s.severity.value !== t.severity) patch.severity = s.severity.value;
    if (sure('urgency', s.urgency) && s.urgency.value !== t.urgency) patch.urgency = s.urgency.value;
    return patch;
  }

  private duplicatesOf(t: TicketSnapshot, candidates: DuplicateCandidateTicket[]): LikelyDuplicate[] {
    const numbers = new Map(candidates.map((c) => [c.id, c.number]));
    return findLikelyDuplicates(t, candidates, this.settings.duplicateSimilarity)
      .slice(0, DUPLICATES_KEPT)
      .map(({ id, score }) => ({ ticketId: id, number: numbers.get(id)!, score }));
  }

  /**
   * The newest stored model, parsed once per version. Once a model is known, whether a newer one exists is asked
   * at most every MODEL_RECHECK_MS (a retrained model is in use within that time), not once per ticket. Callers
   * that ask while a look is under way share it: a worker starting on a backlog runs many triages at once, and
   * each loading and parsing its own copy of the model could exhaust the heap.
   */
  private activeModel(): Promise<{ version: number; model: TriageModel } | null> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.checkedAt < MODEL_RECHECK_MS) return Promise.resolve(this.cached);
    this.looking ??= this.lookForModel(now).finally(() => {
      this.looking = null;
    });
    return this.looking;
  }

  private async lookForModel(now: number): Promise<{ version: number; model: TriageModel } | null> {
    const version = await this.models.activeVersion();
    if (version === null) return null;
    if (this.cached?.version !== version) {
      const json = await this.models.load(version);
      if (json === null || json === undefined) return null;
      this.cached = { version, model: TriageModel.fromJSON(json) };
    }
    this.checkedAt = now;
    return this.cached;
  }
}

/** The requester named by the event's view of the ticket (every ticket event carries it), if any. */
function requesterIdOf(payload: Record<string, unknown>): string | null {
  const view = payload['ticket'] as { requesterId?: unknown } | undefined;
  return typeof view?.requesterId === 'string' ? view.requesterId : null;
}

/** ticket.created, or ticket.updated by a person that changed the title or the description. */
export function isTriageEvent(event: EventSummary): boolean {
  if (event.type === 'ticket.created') return true;
  if (event.type !== 'ticket.updated' || event.actorId === null) return false;
  return changesOf(event).some((c) => c.field === 'title' || c.field === 'description');
}

/**
 * The fields the creator gave explicitly, from the ticket.created event (`setByCreator`). An event without it
 * (written before triage existed) is read conservatively: severity and urgency count as chosen.
 */
function creatorSetFrom(payload: Record<string, unknown>, t: TicketSnapshot): TriageField[] {
  const given = payload['setByCreator'];
  if (Array.isArray(given)) return TRIAGE_FIELDS.filter((f) => given.includes(f));
  return TRIAGE_FIELDS.filter((f) => f === 'severity' || f === 'urgency' || t[f] !== null);
}

/**
 * A field counts as chosen by a person when its creator gave it, when a person changed it since (activity log),
 * or, with the creator's choice unknown, when it is severity or urgency (which always have a value).
 */
function chosenByPeople(changedByPeople: Set<TriageField>, creatorSet: TriageField[] | null): Set<TriageField> {
  const chosen = new Set(changedByPeople);
  for (const field of creatorSet ?? ['severity', 'urgency']) chosen.add(field);
  return chosen;
}
