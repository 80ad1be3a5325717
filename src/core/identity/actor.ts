import type { Role } from './role.js';

/** Who is acting: the authenticated, active user behind a request, or the system itself. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}

export const isStaff = (actor: Actor): boolean => actor.role === 'agent' || actor.role === 'admin';
export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';
