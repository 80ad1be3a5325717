export interface Category {
  id: string;
  name: string;
  /** null for a category; a subcategory's parent is always a top-level category. */
  parentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CATEGORY_NAME_MAX = 100;
