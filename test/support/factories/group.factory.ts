import { randomUUID } from 'node:crypto';
import type { Group } from '../../../src/core/assignment/group.js';
import { FACTORY_TIME } from './identity.factory.js';

/** A round-robin group with a unique name, no members and no categories. */
export function aGroup(overrides: Partial<Group> = {}): Group {
  return {
    id: randomUUID(),
    name: `Group ${randomUUID()}`,
    strategy: 'round_robin',
    maxOpenPerAgent: null,
    lastAssignedUserId: null,
    members: [],
    categoryIds: [],
    createdAt: FACTORY_TIME,
    updatedAt: FACTORY_TIME,
    ...overrides,
  };
}
