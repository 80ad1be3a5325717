import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../src/core/identity/actor.js';
import type { Role } from '../../../src/core/identity/role.js';
import type { User } from '../../../src/core/identity/user.js';

let sequence = 0;

export const FACTORY_TIME = new Date('2025-01-06T08:00:00.000Z');

/** An actor with a fresh id. It exists only in memory: seed a matching user where references are checked. */
export function anActor(role: Role = 'requester', overrides: Partial<Actor> = {}): Actor {
  return { id: randomUUID(), role, ...overrides };
}

/** An active local (embedded-mode) user with a unique email. */
export function aUser(overrides: Partial<User> = {}): User {
  const n = ++sequence;
  return {
    id: randomUUID(),
    externalId: null,
    email: `user-${n}@example.test`,
    name: `User ${n}`,
    role: 'requester',
    active: true,
    createdAt: FACTORY_TIME,
    updatedAt: FACTORY_TIME,
    ...overrides,
  };
}

/** A single-sign-on user: has an identity-provider subject. */
export function anSsoUser(overrides: Partial<User> = {}): User {
  return aUser({ externalId: `kc-${randomUUID()}`, ...overrides });
}

export const actorOf = (user: Pick<User, 'id' | 'role'>): Actor => ({ id: user.id, role: user.role });
