import { randomUUID } from 'node:crypto';
import { isAdmin, isStaff, recordedActorId, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { definedOnly } from '../shared/defined-only.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { domainEvent } from '../shared/domain-event.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { InvalidReferenceError } from '../tickets/ticket.errors.js';
import { SlaPolicyInUseError, SlaPolicyNotFoundError } from './sla.errors.js';
import { validateSlaPolicy, type SlaEscalation, type SlaPolicyInput } from './sla-policy.js';
import { SlaPolicyRepository, type SlaPolicy } from './sla-policy-repository.port.js';
import { SLA_POLICY_CHANGED } from './track-sla.use-case.js';

/** What an admin sends: the policy's fields (defaults filled by validateSlaPolicy) and where it applies. */
export type SlaPolicyRequest = Omit<SlaPolicyInput, 'id' | 'escalation'> & {
  escalation?: { notifyGroup: boolean; reassignToGroupId?: string | null };
  categoryIds?: string[];
  isDefault?: boolean;
};

const requireAdmin = (actor: Actor) => {
  if (!isAdmin(actor)) throw new ForbiddenError('Only admins manage SLA policies', 'SLA_POLICIES_ADMIN_ONLY');
};

const escalationOf = (e: SlaPolicyRequest['escalation']): SlaEscalation | undefined =>
  e && { notifyGroup: e.notifyGroup, reassignToGroupId: e.reassignToGroupId ?? null };

/**
 * SLA policies: staff read them, admins change them. An edit writes `sla_policy.changed`, so the SLA worker
 * recomputes the running clocks that follow the policy (keeping their paused time). A policy that any ticket's
 * clocks followed cannot be deleted (409): those tickets keep it as their record.
 */
export class ManageSlaPolicies {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly policies: SlaPolicyRepository,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<SlaPolicy[]> {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins see SLA policies');
    return this.policies.list();
  }

  async get(actor: Actor, id: string): Promise<SlaPolicy> {
    const policy = isStaff(actor) ? await this.policies.findById(id) : null;
    if (!policy) throw new SlaPolicyNotFoundError(id);
    return policy;
  }

  async create(actor: Actor, input: SlaPolicyRequest): Promise<SlaPolicy> {
    requireAdmin(actor);
    const { categoryIds = [], isDefault = false, escalation, ...rest } = input;
    const props = validateSlaPolicy({ ...rest, id: randomUUID(), escalation: escalationOf(escalation) });
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const policy: SlaPolicy = { ...props, categoryIds: [], isDefault, createdAt: now, updatedAt: now };
      policy.categoryIds = await requireCategories(tx, categoryIds);
      await requireGroup(tx, policy.escalation.reassignToGroupId);
      await tx.slaPolicies.save(policy);
      return policy;
    });
  }

  async update(actor: Actor, id: string, patch: Partial<SlaPolicyRequest>): Promise<SlaPolicy> {
    requireAdmin(actor);
    return this.uow.run(async (tx) => {
      const current = await tx.slaPolicies.lockById(id);
      if (!current) throw new SlaPolicyNotFoundError(id);
      const { categoryIds, isDefault, escalation, ...rest } = patch;
      const merged = { ...current, ...definedOnly(rest), escalation: escalationOf(escalation) ?? current.escalation };
      const props = validateSlaPolicy(merged);
      const now = this.clock.now();
      const policy: SlaPolicy = {
        ...props,
        categoryIds: categoryIds === undefined ? current.categoryIds : await requireCategories(tx, categoryIds),
        isDefault: isDefault ?? current.isDefault,
        createdAt: current.createdAt,
        updatedAt: now,
      };
      await requireGroup(tx, policy.escalation.reassignToGroupId);
      await tx.slaPolicies.save(policy);
      await tx.outbox.append(domainEvent(SLA_POLICY_CHANGED, id, recordedActorId(actor), now, { policyId: id }));
      return policy;
    });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor);
    await this.uow.run(async (tx) => {
      if (!(await tx.slaPolicies.lockById(id))) throw new SlaPolicyNotFoundError(id);
      const tickets = await tx.slaPolicies.ticketCount(id);
      if (tickets > 0) throw new SlaPolicyInUseError(tickets);
      await tx.slaPolicies.delete(id);
    });
  }
}

/** Existing top-level categories (a ticket's categoryId is always one), without duplicates; 422 otherwise. */
async function requireCategories(tx: TransactionScope, ids: string[]): Promise<string[]> {
  for (const [i, id] of ids.entries()) {
    const category = await tx.categories.findById(id);
    if (!category) throw new InvalidReferenceError(`categoryIds[${i}]`, 'no such category');
    if (category.parentId !== null) throw new InvalidReferenceError(`categoryIds[${i}]`, 'must be a top-level category');
  }
  return [...new Set(ids)];
}

async function requireGroup(tx: TransactionScope, groupId: string | null): Promise<void> {
  if (groupId && !(await tx.groups.findById(groupId))) {
    throw new InvalidReferenceError('escalation.reassignToGroupId', 'no such group');
  }
}
