import { GroupNameTakenError } from '../../../src/core/assignment/assignment.errors.js';
import type { Candidate } from '../../../src/core/assignment/choose-assignee.js';
import type { Group } from '../../../src/core/assignment/group.js';
import { GroupRepository } from '../../../src/core/assignment/group-repository.port.js';
import { ProcessedEvents } from '../../../src/core/shared/processed-events.port.js';
import { Ticket } from '../../../src/core/tickets/ticket.js';
import type { Tables } from './tables.js';

const copy = <T>(value: T): T => structuredClone(value);
const open = (t: { deletedAt: Date | null; status: string }) => !t.deletedAt && t.status !== 'resolved' && t.status !== 'closed';

/** As SqlGroupRepository: members in join order, `categories.default_group_id`, `users.available`. */
export class InMemoryGroupRepository extends GroupRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  private withCategories(group: Group): Group {
    const categoryIds = [...this.tables().defaultGroups].filter(([, g]) => g === group.id).map(([c]) => c).sort();
    const members = [...group.members].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
    return copy({ ...group, members, categoryIds });
  }

  async findById(id: string): Promise<Group | null> {
    const g = this.tables().groups.get(id);
    return g ? this.withCategories(g) : null;
  }

  lockById(id: string): Promise<Group | null> {
    return this.findById(id);
  }

  async list(): Promise<Group[]> {
    return [...this.tables().groups.values()]
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
      .map((g) => this.withCategories(g));
  }

  async insert(group: Group): Promise<void> {
    if (this.tables().groups.has(group.id)) throw new Error('duplicate group id');
    await this.save(group);
  }

  async save(group: Group): Promise<void> {
    const t = this.tables();
    const name = group.name.toLowerCase();
    if ([...t.groups.values()].some((g) => g.id !== group.id && g.name.toLowerCase() === name)) throw new GroupNameTakenError();
    for (const userId of group.members.map((m) => m.userId)) if (!t.users.has(userId)) throw new Error(`FK users ${userId}`);
    const previous = t.groups.get(group.id);
    const joined = new Map(previous?.members.map((m) => [m.userId, m.joinedAt]));
    const members = group.members.map((m) => ({ userId: m.userId, joinedAt: joined.get(m.userId) ?? m.joinedAt }));
    t.groups.set(group.id, copy({ ...group, members }));
    for (const [categoryId, groupId] of [...t.defaultGroups]) if (groupId === group.id) t.defaultGroups.delete(categoryId);
    for (const categoryId of group.categoryIds) t.defaultGroups.set(categoryId, group.id);
  }

  async delete(id: string): Promise<void> {
    const t = this.tables();
    t.groups.delete(id);
    for (const [categoryId, groupId] of [...t.defaultGroups]) if (groupId === id) t.defaultGroups.delete(categoryId);
  }

  async recordAssignment(groupId: string, userId: string): Promise<void> {
    const g = this.tables().groups.get(groupId);
    if (g) g.lastAssignedUserId = userId;
  }

  async ticketCount(id: string): Promise<number> {
    return [...this.tables().tickets.values()].filter((t) => t.groupId === id).length;
  }

  async candidates(groupId: string, options: { openCounts: boolean }): Promise<Candidate[]> {
    const t = this.tables();
    const group = t.groups.get(groupId);
    if (!group) return [];
    const tickets = [...t.tickets.values()];
    return [...group.members]
      .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())
      .map((m) => {
        const user = t.users.get(m.userId)!.user;
        return {
          userId: m.userId,
          joinedAt: m.joinedAt,
          eligible: user.active && user.role !== 'requester' && t.unavailable.has(m.userId) === false,
          openTickets: options.openCounts ? tickets.filter((x) => x.assigneeId === m.userId && open(x)).length : 0,
        };
      });
  }

  async hasWaiting(groupId: string): Promise<boolean> {
    if (this.tables().groups.get(groupId)?.strategy === 'manual') return false;
    return (await this.lockWaiting(groupId, 1)).length > 0;
  }

  async lockWaiting(groupId: string, limit: number): Promise<Ticket[]> {
    return [...this.tables().tickets.values()]
      .filter((x) => x.groupId === groupId && x.assigneeId === null && open(x))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((x) => Ticket.restore(copy(x)));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return [...this.tables().groups.values()].filter((g) => g.members.some((m) => m.userId === userId)).map((g) => g.id);
  }

  async setAvailability(userId: string, available: boolean): Promise<void> {
    if (available) this.tables().unavailable.delete(userId);
    else this.tables().unavailable.add(userId);
  }

  async defaultGroupOf(categoryId: string): Promise<string | null> {
    return this.tables().defaultGroups.get(categoryId) ?? null;
  }

  async defaultGroupOfTicket(ticketId: string): Promise<string | null> {
    const categoryId = this.tables().tickets.get(ticketId)?.categoryId;
    return categoryId ? this.defaultGroupOf(categoryId) : null;
  }
}

export class InMemoryProcessedEvents extends ProcessedEvents {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async claim(consumer: string, eventId: string): Promise<boolean> {
    const key = `${consumer}/${eventId}`;
    const processed = this.tables().processed;
    if (processed.has(key)) return false;
    processed.add(key);
    return true;
  }
}
