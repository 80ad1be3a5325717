import { randomUUID } from 'node:crypto';
import { isAdmin, isStaff, recordedActorId, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { definedOnly } from '../shared/defined-only.js';
import { ForbiddenError, InvalidInputError } from '../shared/domain-error.js';
import { domainEvent } from '../shared/domain-event.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { GroupInUseError, GroupNotFoundError, NotAnAgentError } from './assignment.errors.js';
import { checkGroupSettings, type Group, type GroupSettings } from './group.js';
import { GroupRepository } from './group-repository.port.js';

const requireAdmin = (actor: Actor) => {
  if (!isAdmin(actor)) throw new ForbiddenError('Only admins manage groups', 'GROUPS_ADMIN_ONLY');
};

/**
 * Agent groups: staff read them, admins change them. Every change that can give a group more capacity (strategy,
 * cap, a new member) writes a `group.changed` event, so the pipeline hands out the tickets waiting in it.
 */
export class ManageGroups {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly groups: GroupRepository,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<Group[]> {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins see groups');
    return this.groups.list();
  }

  async get(actor: Actor, id: string): Promise<Group> {
    if (!isStaff(actor)) throw new GroupNotFoundError(id);
    const group = await this.groups.findById(id);
    if (!group) throw new GroupNotFoundError(id);
    return group;
  }

  async create(actor: Actor, input: GroupSettings & { memberIds?: string[]; categoryIds?: string[] }): Promise<Group> {
    requireAdmin(actor);
    const settings = checkGroupSettings(input);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const categoryIds = await requireCategories(tx, input.categoryIds ?? []);
      const group: Group = {
        id: randomUUID(),
        ...settings,
        lastAssignedUserId: null,
        members: [],
        categoryIds,
        createdAt: now,
        updatedAt: now,
      };
      for (const [i, userId] of (input.memberIds ?? []).entries()) {
        await requireAgent(tx, userId, `memberIds[${i}]`);
        if (!group.members.some((m) => m.userId === userId)) group.members.push({ userId, joinedAt: new Date(now.getTime() + i) });
      }
      await tx.groups.insert(group);
      await this.changed(tx, actor, group, now);
      return group;
    });
  }

  async update(actor: Actor, id: string, patch: Partial<GroupSettings> & { categoryIds?: string[] }): Promise<Group> {
    requireAdmin(actor);
    const { categoryIds, ...settings } = patch;
    return this.change(actor, id, async (group, tx) => {
      Object.assign(group, checkGroupSettings({ ...group, ...definedOnly(settings) }));
      if (categoryIds !== undefined) group.categoryIds = await requireCategories(tx, categoryIds);
    });
  }

  async addMember(actor: Actor, id: string, userId: string): Promise<Group> {
    requireAdmin(actor);
    return this.change(actor, id, async (group, tx, now) => {
      await requireAgent(tx, userId, 'userId');
      if (!group.members.some((m) => m.userId === userId)) group.members.push({ userId, joinedAt: now });
    });
  }

  async removeMember(actor: Actor, id: string, userId: string): Promise<Group> {
    requireAdmin(actor);
    return this.change(actor, id, (group) => {
      group.members = group.members.filter((m) => m.userId !== userId);
    });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor);
    await this.uow.run(async (tx) => {
      if (!(await tx.groups.lockById(id))) throw new GroupNotFoundError(id);
      const tickets = await tx.groups.ticketCount(id);
      if (tickets > 0) throw new GroupInUseError(tickets);
      await tx.groups.delete(id);
    });
  }

  private change(
    actor: Actor,
    id: string,
    apply: (group: Group, tx: TransactionScope, now: Date) => unknown,
  ): Promise<Group> {
    return this.uow.run(async (tx) => {
      const group = await tx.groups.lockById(id);
      if (!group) throw new GroupNotFoundError(id);
      const now = this.clock.now();
      await apply(group, tx, now);
      group.updatedAt = now;
      await tx.groups.save(group);
      await this.changed(tx, actor, group, now);
      return group;
    });
  }

  private async changed(tx: TransactionScope, actor: Actor, group: Group, now: Date): Promise<void> {
    await tx.outbox.append(domainEvent('group.changed', group.id, recordedActorId(actor), now, { groupId: group.id }));
  }
}

/** An agent marks themselves (un)available for new tickets; coming back lets their groups hand out waiting ones. */
export class SetAvailability {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, available: boolean): Promise<void> {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins take tickets', 'NOT_AN_AGENT');
    await this.uow.run(async (tx) => {
      await tx.groups.setAvailability(actor.id, available);
      const now = this.clock.now();
      await tx.outbox.append(domainEvent('agent.availability_changed', actor.id, actor.id, now, { available }));
    });
  }
}

async function requireAgent(tx: TransactionScope, userId: string, field: string): Promise<void> {
  const user = await tx.users.findById(userId);
  if (!user || !user.active || user.role === 'requester') throw new NotAnAgentError(field);
}

async function requireCategories(tx: TransactionScope, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  for (const [i, id] of unique.entries()) {
    if (!(await tx.categories.findById(id))) throw new InvalidInputError(`categoryIds[${i}]`, 'no such category');
  }
  return unique;
}
