import { Clock } from '../shared/clock.port.js';
import type { Actor } from './actor.js';
import { AccountDeactivatedError } from './identity.errors.js';
import type { User } from './user.js';
import { UserRepository, type ExternalIdentity } from './user-repository.port.js';

const toActor = (user: User): Actor => {
  if (!user.active) throw new AccountDeactivatedError();
  return { id: user.id, role: user.role };
};

/** Turns a verified identity-provider token into an actor, provisioning the user on first sight. */
export class ResolveExternalActor {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(identity: ExternalIdentity): Promise<Actor> {
    return toActor(await this.users.upsertExternal(identity, this.clock.now()));
  }
}

/** Turns a verified embedded-mode token (subject = user id) into an actor; null when the user is gone. */
export class ResolveLocalActor {
  constructor(private readonly users: UserRepository) {}

  async execute(userId: string): Promise<Actor | null> {
    const user = await this.users.findById(userId);
    return user ? toActor(user) : null;
  }
}
