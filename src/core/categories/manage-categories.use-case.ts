import { randomUUID } from 'node:crypto';
import { isAdmin, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { checkText } from '../shared/text.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { CATEGORY_NAME_MAX, type Category } from './category.js';
import { CategoryInUseError, CategoryNotFoundError, CategoryTreeError } from './category.errors.js';
import { CategoryRepository } from './category-repository.port.js';

function checkName(name: string): string {
  return checkText('name', name, { max: CATEGORY_NAME_MAX });
}

function assertAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new ForbiddenError('Only admins can manage categories');
}

/** Subcategories hang under top-level categories only: the tree is two levels deep. */
async function checkParent(tx: TransactionScope, parentId: string | null, self?: Category): Promise<void> {
  if (parentId === null) return;
  if (self && parentId === self.id) throw new CategoryTreeError('A category cannot be its own parent');
  const parent = await tx.categories.lockById(parentId);
  if (!parent) throw new CategoryTreeError(`Parent category ${parentId} does not exist`);
  if (parent.parentId !== null) throw new CategoryTreeError('A subcategory cannot have subcategories');
  if (self && (await tx.categories.usage(self.id)).children > 0) {
    throw new CategoryTreeError('A category with subcategories cannot become a subcategory');
  }
}

export class CategoryCatalog {
  constructor(private readonly categories: CategoryRepository) {}

  list(): Promise<Category[]> {
    return this.categories.list();
  }
}

export class CreateCategory {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { name: string; parentId?: string | null }): Promise<Category> {
    assertAdmin(actor);
    return this.uow.run(async (tx) => {
      const parentId = input.parentId ?? null;
      await checkParent(tx, parentId);
      const now = this.clock.now();
      const category: Category = { id: randomUUID(), name: checkName(input.name), parentId, createdAt: now, updatedAt: now };
      await tx.categories.insert(category);
      return category;
    });
  }
}

export class UpdateCategory {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { id: string; name?: string; parentId?: string | null }): Promise<Category> {
    assertAdmin(actor);
    return this.uow.run(async (tx) => {
      const current = await tx.categories.lockById(input.id);
      if (!current) throw new CategoryNotFoundError(input.id);
      const parentId = input.parentId === undefined ? current.parentId : input.parentId;
      if (parentId !== current.parentId) {
        await checkParent(tx, parentId, current);
        if ((await tx.categories.usage(current.id)).tickets > 0) {
          throw new CategoryTreeError('A category used by tickets cannot move between levels');
        }
      }
      const updated: Category = {
        ...current,
        name: input.name === undefined ? current.name : checkName(input.name),
        parentId,
        updatedAt: this.clock.now(),
      };
      await tx.categories.update(updated);
      return updated;
    });
  }
}

export class DeleteCategory {
  constructor(private readonly uow: UnitOfWork) {}

  async execute(actor: Actor, id: string): Promise<void> {
    assertAdmin(actor);
    return this.uow.run(async (tx) => {
      if (!(await tx.categories.lockById(id))) throw new CategoryNotFoundError(id);
      const usage = await tx.categories.usage(id);
      if (usage.children > 0) throw new CategoryInUseError(`it has ${usage.children} subcategories`);
      if (usage.tickets > 0) throw new CategoryInUseError(`${usage.tickets} tickets use it`);
      await tx.categories.delete(id);
    });
  }
}
