import type { Page } from '../shared/paging.js';
import type { Role } from './role.js';
import type { User } from './user.js';

export interface UserListQuery {
  role?: Role;
  active?: boolean;
  q?: string;
  limit: number;
  cursor?: string;
}

export interface ExternalIdentity {
  externalId: string;
  email: string | null;
  name: string;
  role: Role;
}

export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  abstract findByEmail(email: string): Promise<User | null>;
  /** Insert-or-update by `externalId` in one statement, so concurrent first requests create one row. */
  abstract upsertExternal(identity: ExternalIdentity, now: Date): Promise<User>;
  abstract insert(user: User, passwordHash: string | null): Promise<void>;
  abstract update(user: User): Promise<void>;
  abstract passwordHashOf(userId: string): Promise<string | null>;
  abstract list(query: UserListQuery): Promise<Page<User>>;
}
