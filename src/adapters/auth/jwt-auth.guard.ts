import { Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Actor } from '../../core/identity/actor.js';
import { RateLimitGuard } from '../http/rate-limit.guard.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Global guard: every route needs a valid bearer token unless it is marked @Public(). A request it turns away
 * with 401 still counts against the client address's rate limit (and carries the RateLimit-* headers), so
 * guessing tokens is limited like everything else.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimit: RateLimitGuard,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      // Over the limit: the 429 wins; otherwise the 401, with the headers the limiter set.
      if (error instanceof UnauthorizedException) await this.rateLimit.canActivate(context);
      throw error;
    }
  }

  /** Bad or missing tokens are 401s; errors from resolving the actor (e.g. a deactivated account) pass through. */
  override handleRequest<TUser = Actor>(error: unknown, actor: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (!actor) throw new UnauthorizedException(reasonFrom(info));
    return actor;
  }
}

const reasonFrom = (info: unknown): string =>
  info instanceof Error && info.message !== 'No auth token' ? `Invalid token: ${info.message}` : 'Missing bearer token';
