import { isAdmin, isStaff, type Actor } from '../identity/actor.js';
import { ForbiddenError } from '../shared/domain-error.js';

const CODE = 'ANALYTICS_FORBIDDEN';

/** The dashboard: agents and admins. */
export function assertMayReadDashboard(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError('Analytics are for agents and admins', CODE);
}

/** One agent's figures: the agent themselves, or an admin. */
export function assertMayReadAgent(actor: Actor, agentId: string): void {
  assertMayReadDashboard(actor);
  if (!isAdmin(actor) && actor.id !== agentId) throw new ForbiddenError("Agents may read only their own analytics", CODE);
}

/** The team view (every agent): admins. */
export function assertMayReadTeam(actor: Actor): void {
  assertMayReadDashboard(actor);
  if (!isAdmin(actor)) throw new ForbiddenError('The team view is for admins', CODE);
}
