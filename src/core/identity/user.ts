import type { Role } from './role.js';

export interface User {
  id: string;
  /** The identity provider's subject (`sub`); null for embedded-mode accounts. */
  externalId: string | null;
  email: string | null;
  name: string;
  role: Role;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
