import type { CategoryRepository } from '../categories/category-repository.port.js';
import { InvalidReferenceError } from './ticket.errors.js';

/** A subcategory must belong to the ticket's category; giving only a subcategory implies its parent. */
export async function checkClassification(
  categories: CategoryRepository,
  categoryId: string | null,
  subcategoryId: string | null,
): Promise<{ categoryId: string | null; subcategoryId: string | null }> {
  if (subcategoryId !== null) {
    const sub = await categories.findById(subcategoryId);
    if (!sub || sub.parentId === null) throw new InvalidReferenceError('subcategoryId', 'is not a subcategory');
    if (categoryId !== null && sub.parentId !== categoryId) {
      throw new InvalidReferenceError('subcategoryId', 'does not belong to categoryId');
    }
    return { categoryId: sub.parentId, subcategoryId };
  }
  if (categoryId !== null) {
    const category = await categories.findById(categoryId);
    if (!category || category.parentId !== null) {
      throw new InvalidReferenceError('categoryId', 'is not a top-level category');
    }
  }
  return { categoryId, subcategoryId };
}
