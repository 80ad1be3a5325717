import type { DataSource, EntityManager } from 'typeorm';
import { GroupNameTakenError } from '../../core/assignment/assignment.errors.js';
import type { Candidate } from '../../core/assignment/choose-assignee.js';
import type { AssignmentStrategy, Group } from '../../core/assignment/group.js';
import { GroupRepository } from '../../core/assignment/group-repository.port.js';
import { Ticket } from '../../core/tickets/ticket.js';
import { OPEN_STATUSES, sqlStatusList } from '../../core/tickets/ticket-lifecycle.js';
import { pgCode, UNIQUE_VIOLATION } from './pg-errors.js';
import { prepared } from './prepared.js';
import { TICKET_COLUMNS, toSnapshot, type TicketRow } from './ticket-row.mapper.js';

interface GroupRow {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  max_open_per_agent: number | null;
  last_assigned_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  members: { userId: string; joinedAt: string }[];
  category_ids: string[];
}

const SELECT = `SELECT g.id, g.name, g.strategy, g.max_open_per_agent, g.last_assigned_user_id, g.created_at, g.updated_at,
  coalesce((SELECT json_agg(json_build_object('userId', m.user_id, 'joinedAt', m.joined_at) ORDER BY m.joined_at, m.user_id)
            FROM group_members m WHERE m.group_id = g.id), '[]') AS members,
  array(SELECT c.id FROM categories c WHERE c.default_group_id = g.id ORDER BY c.id) AS category_ids
  FROM groups g`;

const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  strategy: r.strategy,
  maxOpenPerAgent: r.max_open_per_agent,
  lastAssignedUserId: r.last_assigned_user_id,
  members: r.members.map((m) => ({ userId: m.userId, joinedAt: new Date(m.joinedAt) })),
  categoryIds: r.category_ids,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A live ticket that still needs work: what counts against an agent's cap. */
const open = (t: string) => `${t}.deleted_at IS NULL AND ${t}.status IN (${sqlStatusList(OPEN_STATUSES)})`;

export class SqlGroupRepository extends GroupRepository {
  constructor(private readonly db: DataSource | EntityManager) {
    super();
  }

  private async one(sql: string, id: string): Promise<Group | null> {
    const rows: GroupRow[] = await this.db.query(prepared(sql), [id]);
    return rows[0] ? toGroup(rows[0]) : null;
  }

  findById(id: string): Promise<Group | null> {
    return this.one(`${SELECT} WHERE g.id = $1`, id);
  }

  lockById(id: string): Promise<Group | null> {
    return this.one(`${SELECT} WHERE g.id = $1 FOR UPDATE OF g`, id);
  }

  async list(): Promise<Group[]> {
    const rows: GroupRow[] = await this.db.query(`${SELECT} ORDER BY lower(g.name), g.id`);
    return rows.map(toGroup);
  }

  async insert(group: Group): Promise<void> {
    await this.guardName(() =>
      this.db.query(
        `INSERT INTO groups (id, name, strategy, max_open_per_agent, last_assigned_user_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [group.id, group.name, group.strategy, group.maxOpenPerAgent, group.lastAssignedUserId, group.createdAt, group.updatedAt],
      ),
    );
    await this.saveMembers(group);
    await this.saveCategories(group);
  }

  async save(group: Group): Promise<void> {
    await this.guardName(() =>
      this.db.query(
        `UPDATE groups SET name = $2, strategy = $3, max_open_per_agent = $4, last_assigned_user_id = $5, updated_at = $6
         WHERE id = $1`,
        [group.id, group.name, group.strategy, group.maxOpenPerAgent, group.lastAssignedUserId, group.updatedAt],
      ),
    );
    await this.saveMembers(group);
    await this.saveCategories(group);
  }

  /** The group becomes the default of exactly these categories (taking them from any other group). */
  private async saveCategories(group: Group): Promise<void> {
    await this.db.query(
      `UPDATE categories SET default_group_id = CASE WHEN id = ANY($2::uuid[]) THEN $1::uuid END
       WHERE default_group_id = $1 OR id = ANY($2::uuid[])`,
      [group.id, group.categoryIds],
    );
  }

  /** Members not in the list leave; new ones join with their joinedAt; existing ones keep theirs. */
  private async saveMembers(group: Group): Promise<void> {
    const ids = group.members.map((m) => m.userId);
    await this.db.query(`DELETE FROM group_members WHERE group_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [group.id, ids]);
    if (!ids.length) return;
    await this.db.query(
      `INSERT INTO group_members (group_id, user_id, joined_at)
       SELECT $1, u, j FROM unnest($2::uuid[], $3::timestamptz[]) AS m(u, j)
       ON CONFLICT (group_id, user_id) DO NOTHING`,
      [group.id, ids, group.members.map((m) => m.joinedAt)],
    );
  }

  private async guardName(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (pgCode(error) === UNIQUE_VIOLATION) throw new GroupNameTakenError();
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM groups WHERE id = $1`, [id]);
  }

  async recordAssignment(groupId: string, userId: string): Promise<void> {
    await this.db.query(prepared(`UPDATE groups SET last_assigned_user_id = $2 WHERE id = $1`), [groupId, userId]);
  }

  async ticketCount(id: string): Promise<number> {
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM tickets WHERE group_id = $1`,
      [id],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async candidates(groupId: string, options: { openCounts: boolean }): Promise<Candidate[]> {
    const count = `(SELECT count(*) FROM tickets t WHERE t.assignee_id = m.user_id AND ${open('t')})`;
    const rows: { user_id: string; joined_at: Date; eligible: boolean; open: string }[] = await this.db.query(
      prepared(`SELECT m.user_id, m.joined_at,
              (u.active AND u.available AND u.role IN ('agent','admin')) AS eligible,
              ${options.openCounts ? count : '0'} AS open
       FROM group_members m JOIN users u ON u.id = m.user_id
       WHERE m.group_id = $1 ORDER BY m.joined_at, m.user_id`),
      [groupId],
    );
    return rows.map((r) => ({ userId: r.user_id, joinedAt: r.joined_at, eligible: r.eligible, openTickets: Number(r.open) }));
  }

  async hasWaiting(groupId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      prepared(`SELECT 1 FROM tickets t WHERE group_id = $1 AND assignee_id IS NULL AND ${open('t')}
        AND EXISTS (SELECT 1 FROM groups g WHERE g.id = $1 AND g.strategy <> 'manual') LIMIT 1`),
      [groupId],
    );
    return rows.length > 0;
  }

  async lockWaiting(groupId: string, limit: number): Promise<Ticket[]> {
    const rows: TicketRow[] = await this.db.query(
      prepared(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE group_id = $1 AND assignee_id IS NULL AND ${open('t')}
       ORDER BY created_at, id LIMIT $2 FOR UPDATE`),
      [groupId, limit],
    );
    return rows.map((r) => Ticket.restore(toSnapshot(r)));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    const rows: { group_id: string }[] = await this.db.query(prepared(`SELECT group_id FROM group_members WHERE user_id = $1`), [userId]);
    return rows.map((r) => r.group_id);
  }

  async setAvailability(userId: string, available: boolean): Promise<void> {
    await this.db.query(`UPDATE users SET available = $2 WHERE id = $1`, [userId, available]);
  }

  async defaultGroupOf(categoryId: string): Promise<string | null> {
    const rows: { default_group_id: string | null }[] = await this.db.query(
      prepared(`SELECT default_group_id FROM categories WHERE id = $1`),
      [categoryId],
    );
    return rows[0]?.default_group_id ?? null;
  }

  async defaultGroupOfTicket(ticketId: string): Promise<string | null> {
    const rows: { default_group_id: string | null }[] = await this.db.query(
      prepared(`SELECT c.default_group_id FROM tickets t JOIN categories c ON c.id = t.category_id WHERE t.id = $1`),
      [ticketId],
    );
    return rows[0]?.default_group_id ?? null;
  }
}
