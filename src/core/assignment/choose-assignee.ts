import type { Group } from './group.js';

/** A group member as the assignment rules see them at the moment of choosing. */
export interface Candidate {
  userId: string;
  joinedAt: Date;
  /** Active, marked available, and still an agent or admin. */
  eligible: boolean;
  openTickets: number;
}

/** Whether choosing needs each member's open-ticket count: least_open does, and so does any cap. */
export function needsOpenCounts(group: Pick<Group, 'strategy' | 'maxOpenPerAgent'>): boolean {
  return group.strategy === 'least_open' || group.maxOpenPerAgent !== null;
}

const byJoinOrder = (a: Candidate, b: Candidate) =>
  a.joinedAt.getTime() - b.joinedAt.getTime() || a.userId.localeCompare(b.userId);

/**
 * Who gets the group's next ticket, or null when nobody may (manual group, nobody eligible, everyone at the cap:
 * the ticket then waits unassigned). The cap applies to both automatic strategies.
 * - round_robin: the next eligible member after the last one assigned, in join order, wrapping around.
 * - least_open: the eligible member with the fewest open tickets; ties go to the earlier joiner.
 */
export function chooseAssignee(group: Pick<Group, 'strategy' | 'maxOpenPerAgent' | 'lastAssignedUserId'>, candidates: Candidate[]): string | null {
  if (group.strategy === 'manual') return null;
  const ordered = [...candidates].sort(byJoinOrder);
  const cap = group.maxOpenPerAgent;
  const canTake = (c: Candidate) => c.eligible && (cap === null || c.openTickets < cap);
  if (group.strategy === 'least_open') {
    let best: Candidate | null = null;
    for (const c of ordered) if (canTake(c) && (!best || c.openTickets < best.openTickets)) best = c;
    return best?.userId ?? null;
  }
  const last = ordered.findIndex((c) => c.userId === group.lastAssignedUserId);
  for (let step = 1; step <= ordered.length; step++) {
    const c = ordered[(last + step) % ordered.length]!;
    if (canTake(c)) return c.userId;
  }
  return null;
}
