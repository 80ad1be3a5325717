export const ROLES = ['admin', 'agent', 'requester'] as const;
export type Role = (typeof ROLES)[number];

/** Identity-provider roles: `admin` and `agent` are recognised, anything else is a requester. */
export function roleFromClaims(roles: readonly string[]): Role {
  if (roles.includes('admin')) return 'admin';
  if (roles.includes('agent')) return 'agent';
  return 'requester';
}
