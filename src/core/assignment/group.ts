import { InvalidInputError } from '../shared/domain-error.js';
import { checkText } from '../shared/text.js';

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'least_open', 'manual'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];
export const GROUP_NAME_MAX = 100;
export const MAX_OPEN_PER_AGENT_LIMIT = 10_000;

export interface GroupMember {
  userId: string;
  joinedAt: Date;
}

/** An agent group: who works its tickets and how new ones are handed out. */
export interface Group {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  /** Open tickets an agent may hold before this group stops giving them more; null = no cap. */
  maxOpenPerAgent: number | null;
  /** Round-robin position: the member who got the last ticket. */
  lastAssignedUserId: string | null;
  /** In the order they joined. */
  members: GroupMember[];
  /** Categories whose new tickets land in this group (each category has at most one default group). */
  categoryIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupSettings {
  name: string;
  strategy: AssignmentStrategy;
  maxOpenPerAgent: number | null;
}

export function checkGroupSettings(input: GroupSettings): GroupSettings {
  const name = checkText('name', input.name, { max: GROUP_NAME_MAX });
  if (!ASSIGNMENT_STRATEGIES.includes(input.strategy)) {
    throw new InvalidInputError('strategy', `must be one of ${ASSIGNMENT_STRATEGIES.join(', ')}`);
  }
  const cap = input.maxOpenPerAgent;
  if (cap !== null && (!Number.isInteger(cap) || cap < 1 || cap > MAX_OPEN_PER_AGENT_LIMIT)) {
    throw new InvalidInputError('maxOpenPerAgent', `must be an integer 1–${MAX_OPEN_PER_AGENT_LIMIT}, or null`);
  }
  return { name, strategy: input.strategy, maxOpenPerAgent: cap };
}
