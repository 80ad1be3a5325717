import { Injectable } from '@nestjs/common';
import type { Actor } from '../../core/identity/actor.js';
import { AuthSettings } from './auth-settings.js';

const MAX_ENTRIES = 10_000;

interface Entry {
  actor: Actor;
  expiresAt: number;
}

/**
 * Resolved actors per token subject (`issuer|sub`), kept for ACTOR_CACHE_SECONDS so authenticated requests
 * skip the database. Concurrent misses for one subject share a single lookup.
 */
@Injectable()
export class ActorCache {
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Actor | null>>();
  /** Bumped by every invalidation, so a lookup that started before one does not store a stale actor. */
  private generation = 0;

  constructor(settings: AuthSettings) {
    this.ttlMs = settings.actorCacheSeconds * 1000;
  }

  async get(issuer: string, subject: string, resolve: () => Promise<Actor | null>): Promise<Actor | null> {
    if (this.ttlMs === 0) return resolve();
    const key = `${issuer}|${subject}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.actor;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const lookup = this.store(key, resolve).finally(() => {
      if (this.pending.get(key) === lookup) this.pending.delete(key);
    });
    this.pending.set(key, lookup);
    return lookup;
  }

  /** Call after an admin changes a user's role or active flag. */
  invalidateUser(userId: string): void {
    this.generation++;
    this.pending.clear();
    for (const [key, entry] of this.entries) {
      if (entry.actor.id === userId) this.entries.delete(key);
    }
  }

  private async store(key: string, resolve: () => Promise<Actor | null>): Promise<Actor | null> {
    const generation = this.generation;
    const actor = await resolve();
    if (actor && generation === this.generation) {
      this.entries.delete(key); // re-insert at the end: the Map's order is the eviction order
      this.entries.set(key, { actor, expiresAt: Date.now() + this.ttlMs });
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    return actor;
  }
}
