import { DomainError } from '../shared/domain-error.js';

export class CategoryNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'CATEGORY_NOT_FOUND';
  constructor(id: string) {
    super(`Category ${id} was not found`);
  }
}

export class CategoryInUseError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'CATEGORY_IN_USE';
  constructor(reason: string) {
    super(`The category cannot be deleted: ${reason}`);
  }
}

export class CategoryNameTakenError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'CATEGORY_NAME_TAKEN';
  constructor(name: string) {
    super(`A category named "${name}" already exists at this level`);
  }
}

export class CategoryTreeError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'CATEGORY_TREE_INVALID';
  constructor(message: string) {
    super(message);
    this.fieldErrors.push({ field: 'parentId', message });
  }
}
