import type { Category } from '../../core/categories/category.js';
import { CategoryRepository, type CategoryUsage } from '../../core/categories/category-repository.port.js';
import { cacheKeys, type ReadCache } from './read-cache.js';

/** The whole category list (the tree) from the read cache; everything else goes straight to the inner repository. */
export class CachedCategoryRepository extends CategoryRepository {
  constructor(
    private readonly inner: CategoryRepository,
    private readonly cache: ReadCache,
  ) {
    super();
  }

  async list(): Promise<Category[]> {
    return (await this.cache.read(cacheKeys.categoryTree, () => this.inner.list())) ?? [];
  }

  findById(id: string): Promise<Category | null> {
    return this.inner.findById(id);
  }

  lockById(id: string): Promise<Category | null> {
    return this.inner.lockById(id);
  }

  insert(category: Category): Promise<void> {
    return this.inner.insert(category);
  }

  update(category: Category): Promise<void> {
    return this.inner.update(category);
  }

  usage(id: string): Promise<CategoryUsage> {
    return this.inner.usage(id);
  }

  delete(id: string): Promise<void> {
    return this.inner.delete(id);
  }
}
