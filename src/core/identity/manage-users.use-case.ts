import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import type { Page } from '../shared/paging.js';
import { AccessChanges } from './access-changes.port.js';
import { isAdmin, isStaff, type Actor } from './actor.js';
import {
  CannotChangeOwnAccessError,
  RoleManagedByIdentityProviderError,
  UserNotFoundError,
} from './identity.errors.js';
import type { Role } from './role.js';
import type { User } from './user.js';
import { UserRepository, type UserListQuery } from './user-repository.port.js';

/** Staff see everyone (to pick assignees); requesters see only themselves. */
export class UserDirectory {
  constructor(private readonly users: UserRepository) {}

  async list(actor: Actor, query: UserListQuery): Promise<Page<User>> {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins can list users');
    return this.users.list(query);
  }

  async get(actor: Actor, id: string): Promise<User> {
    if (!isStaff(actor) && actor.id !== id) throw new UserNotFoundError(id);
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError(id);
    return user;
  }
}

export class UpdateUser {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly accessChanges: AccessChanges,
  ) {}

  async execute(actor: Actor, input: { id: string; role?: Role; active?: boolean }): Promise<User> {
    if (!isAdmin(actor)) throw new ForbiddenError('Only admins can change users');
    const user = await this.users.findById(input.id);
    if (!user) throw new UserNotFoundError(input.id);
    const demotes = input.role !== undefined && input.role !== 'admin';
    if (user.id === actor.id && (input.active === false || demotes)) throw new CannotChangeOwnAccessError();
    if (input.role !== undefined && input.role !== user.role && user.externalId !== null) {
      throw new RoleManagedByIdentityProviderError();
    }
    const role = input.role ?? user.role;
    const active = input.active ?? user.active;
    if (role === user.role && active === user.active) return user;
    const updated: User = { ...user, role, active, updatedAt: this.clock.now() };
    await this.users.update(updated);
    // Streams opened with the old rights close on every instance (a deactivated agent hears nothing more).
    await this.accessChanges.announce(updated.id);
    return updated;
  }
}
