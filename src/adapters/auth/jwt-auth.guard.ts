import { Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Actor } from '../../core/identity/actor.js';
import { IS_PUBLIC } from './public.decorator.js';

/** Global guard: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic || super.canActivate(context);
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
