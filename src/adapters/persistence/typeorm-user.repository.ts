import type { DataSource, EntityManager } from 'typeorm';
import { EmailTakenError } from '../../core/identity/identity.errors.js';
import type { Role } from '../../core/identity/role.js';
import type { User } from '../../core/identity/user.js';
import { UserRepository, type ExternalIdentity, type UserListQuery } from '../../core/identity/user-repository.port.js';
import { InvalidInputError } from '../../core/shared/domain-error.js';
import type { Page } from '../../core/shared/paging.js';
import { decodeCursor, encodeCursor, endsWithId } from './keyset-cursor.js';
import { pgCode, UNIQUE_VIOLATION } from './pg-errors.js';
import { prepared } from './prepared.js';

interface UserRow {
  id: string;
  external_id: string | null;
  email: string | null;
  name: string;
  role: Role;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, external_id, email, name, role, active, created_at, updated_at';

const toUser = (r: UserRow): User => ({
  id: r.id,
  externalId: r.external_id,
  email: r.email,
  name: r.name,
  role: r.role,
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class TypeOrmUserRepository extends UserRepository {
  constructor(private readonly db: DataSource | EntityManager) {
    super();
  }

  private async one(sql: string, params: unknown[]): Promise<User | null> {
    const rows: UserRow[] = await this.db.query(sql, params);
    return rows[0] ? toUser(rows[0]) : null;
  }

  findById(id: string): Promise<User | null> {
    return this.one(prepared(`SELECT ${COLUMNS} FROM users WHERE id = $1`), [id]);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.one(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1) AND external_id IS NULL`, [email]);
  }

  async upsertExternal(identity: ExternalIdentity, now: Date): Promise<User> {
    // Keycloak owns name, email and role; `active` stays ours. Rows change only when a claim changed.
    const user = await this.one(
      `INSERT INTO users (id, external_id, email, name, role, active, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, true, $5, $5)
       ON CONFLICT (external_id) DO UPDATE
         SET email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role, updated_at = EXCLUDED.updated_at
         WHERE (users.email, users.name, users.role) IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.name, EXCLUDED.role)
       RETURNING ${COLUMNS}`,
      [identity.externalId, identity.email, identity.name, identity.role, now],
    );
    return user ?? (await this.one(`SELECT ${COLUMNS} FROM users WHERE external_id = $1`, [identity.externalId]))!;
  }

  async insert(user: User, passwordHash: string | null): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO users (id, external_id, email, name, role, active, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [user.id, user.externalId, user.email, user.name, user.role, user.active, passwordHash, user.createdAt, user.updatedAt],
      );
    } catch (error) {
      if (pgCode(error) === UNIQUE_VIOLATION) throw new EmailTakenError();
      throw error;
    }
  }

  async update(user: User): Promise<void> {
    await this.db.query(`UPDATE users SET role = $2, active = $3, updated_at = $4 WHERE id = $1`, [
      user.id,
      user.role,
      user.active,
      user.updatedAt,
    ]);
  }

  async passwordHashOf(userId: string): Promise<string | null> {
    const rows: { password_hash: string | null }[] = await this.db.query(
      `SELECT password_hash FROM users WHERE id = $1`,
      [userId],
    );
    return rows[0]?.password_hash ?? null;
  }

  async list(query: UserListQuery): Promise<Page<User>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (query.role) add((p) => `role = ${p}`, query.role);
    if (query.active !== undefined) add((p) => `active = ${p}`, query.active);
    if (query.q) add((p) => `(name ILIKE ${p} OR email ILIKE ${p})`, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`);
    if (query.cursor) {
      const after = decodeCursor(query.cursor, 2);
      if (!after || typeof after[0] !== 'string' || !endsWithId(after)) {
        throw new InvalidInputError('cursor', 'is not a cursor this API issued');
      }
      params.push(after[0], after[1]);
      where.push(`(name, id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows: UserRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY name, id LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, query.limit).map(toUser);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null };
  }
}
