import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Actor } from '../../core/identity/actor.js';

/**
 * Per-caller limit across all endpoints (the authenticated user, else the client address), with
 * IETF `RateLimit-*` headers and `Retry-After`. Runs after authentication so callers are known.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override async getTracker(req: { user?: Actor; ip?: string }): Promise<string> {
    return req.user ? `user:${req.user.id}` : `ip:${req.ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'RateLimit-Limit', detail.limit);
    this.setResponseHeader(res, 'RateLimit-Remaining', 0);
    this.setResponseHeader(res, 'RateLimit-Reset', detail.timeToExpire);
    throw new ThrottlerException(`Rate limit of ${detail.limit} requests per minute exceeded; retry in ${detail.timeToExpire} s`);
  }
}
