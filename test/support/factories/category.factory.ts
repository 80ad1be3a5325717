import { randomUUID } from 'node:crypto';
import type { Category } from '../../../src/core/categories/category.js';
import { FACTORY_TIME } from './identity.factory.js';

let sequence = 0;

/** A top-level category with a unique name; pass `parentId` for a subcategory. */
export function aCategory(overrides: Partial<Category> = {}): Category {
  const n = ++sequence;
  return {
    id: randomUUID(),
    name: `Category ${n}`,
    parentId: null,
    createdAt: FACTORY_TIME,
    updatedAt: FACTORY_TIME,
    ...overrides,
  };
}
