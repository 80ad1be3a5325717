import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  getStorageToken,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config.js';
import type { Actor } from '../../core/identity/actor.js';

/**
 * Per-caller limit across all endpoints (the authenticated user, else the client address), with
 * IETF `RateLimit-*` headers and `Retry-After`. Runs after authentication so callers are known.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';
  /** Installations sharing one Redis (QUEUE_PREFIX) count apart. */
  private readonly keyPrefix: string;

  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(getStorageToken()) storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(AppConfig) config: AppConfig,
  ) {
    super(options, storage, reflector);
    this.keyPrefix = config.env.QUEUE_PREFIX;
  }

  protected override async getTracker(req: { user?: Actor; ip?: string }): Promise<string> {
    return req.user ? `user:${req.user.id}` : `ip:${req.ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${this.keyPrefix}:rate:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'RateLimit-Limit', detail.limit);
    this.setResponseHeader(res, 'RateLimit-Remaining', 0);
    this.setResponseHeader(res, 'RateLimit-Reset', detail.timeToExpire);
    throw new ThrottlerException(`Rate limit of ${detail.limit} requests per minute exceeded; retry in ${detail.timeToExpire} s`);
  }
}
