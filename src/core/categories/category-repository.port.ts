import type { Category } from './category.js';

export interface CategoryUsage {
  tickets: number;
  children: number;
}

export abstract class CategoryRepository {
  abstract findById(id: string): Promise<Category | null>;
  abstract list(): Promise<Category[]>;
  /** Throws CategoryNameTakenError when the name exists under the same parent (case-insensitive). */
  abstract insert(category: Category): Promise<void>;
  abstract update(category: Category): Promise<void>;
  abstract usage(id: string): Promise<CategoryUsage>;
  abstract delete(id: string): Promise<void>;
  /** Row-locks the category until the transaction ends. */
  abstract lockById(id: string): Promise<Category | null>;
}
