import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../../core/identity/actor.js';

/** The authenticated Actor that JwtAuthGuard stored on the request. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => context.switchToHttp().getRequest<{ user: Actor }>().user,
);
