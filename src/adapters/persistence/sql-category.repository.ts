import type { DataSource, EntityManager } from 'typeorm';
import { CategoryInUseError, CategoryNameTakenError } from '../../core/categories/category.errors.js';
import type { Category } from '../../core/categories/category.js';
import { CategoryRepository, type CategoryUsage } from '../../core/categories/category-repository.port.js';
import { FOREIGN_KEY_VIOLATION, pgCode, UNIQUE_VIOLATION } from './pg-errors.js';
import type { TransactionWrites } from './transaction-writes.js';
import { prepared } from './prepared.js';

interface CategoryRow {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, parent_id, created_at, updated_at';
const toCategory = (r: CategoryRow): Category => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqlCategoryRepository extends CategoryRepository {
  constructor(
    private readonly db: DataSource | EntityManager,
    private readonly writes?: TransactionWrites,
  ) {
    super();
  }

  private async one(sql: string, id: string): Promise<Category | null> {
    const rows: CategoryRow[] = await this.db.query(prepared(sql), [id]);
    return rows[0] ? toCategory(rows[0]) : null;
  }

  findById(id: string): Promise<Category | null> {
    return this.one(`SELECT ${COLUMNS} FROM categories WHERE id = $1`, id);
  }

  lockById(id: string): Promise<Category | null> {
    return this.one(`SELECT ${COLUMNS} FROM categories WHERE id = $1 FOR UPDATE`, id);
  }

  async list(): Promise<Category[]> {
    const rows: CategoryRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM categories ORDER BY parent_id NULLS FIRST, lower(name), id`,
    );
    return rows.map(toCategory);
  }

  private async write(category: Category, sql: string, params: unknown[]): Promise<void> {
    try {
      await this.db.query(sql, params);
      if (this.writes) this.writes.categories = true;
    } catch (error) {
      if (pgCode(error) === UNIQUE_VIOLATION) throw new CategoryNameTakenError(category.name);
      throw error;
    }
  }

  insert(category: Category): Promise<void> {
    const c = category;
    return this.write(c, `INSERT INTO categories (${COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
      c.id,
      c.name,
      c.parentId,
      c.createdAt,
      c.updatedAt,
    ]);
  }

  update(category: Category): Promise<void> {
    const c = category;
    return this.write(c, `UPDATE categories SET name = $2, parent_id = $3, updated_at = $4 WHERE id = $1`, [
      c.id,
      c.name,
      c.parentId,
      c.updatedAt,
    ]);
  }

  async usage(id: string): Promise<CategoryUsage> {
    const [row]: { tickets: string; children: string }[] = await this.db.query(
      `SELECT (SELECT count(*) FROM tickets WHERE category_id = $1 OR subcategory_id = $1) AS tickets,
              (SELECT count(*) FROM categories WHERE parent_id = $1) AS children`,
      [id],
    );
    return { tickets: Number(row!.tickets), children: Number(row!.children) };
  }

  async delete(id: string): Promise<void> {
    try {
      await this.db.query(`DELETE FROM categories WHERE id = $1`, [id]);
      if (this.writes) this.writes.categories = true;
    } catch (error) {
      // A ticket created concurrently still holds a reference: the foreign key has the last word.
      if (pgCode(error) === FOREIGN_KEY_VIOLATION) throw new CategoryInUseError('tickets use it');
      throw error;
    }
  }
}
