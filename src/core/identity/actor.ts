import type { Role } from './role.js';

/** Who is acting: the authenticated, active user behind a request, or the system itself. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  /** The background pipeline acting on its own (triage, assignment, SLA): recorded with no user. */
  readonly system?: true;
}

/** The pipeline's actor: staff rights, and activity entries with `actorId: null`. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', role: 'agent', system: true });

/** The user id to record for an actor (null for the system). */
export const recordedActorId = (actor: Actor): string | null => (actor.system ? null : actor.id);

export const isStaff = (actor: Actor): boolean => actor.role === 'agent' || actor.role === 'admin';
export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';
