import { Clock } from '../../../src/core/shared/clock.port.js';

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  ms?: number;
}

const toMs = (by: number | Duration): number =>
  typeof by === 'number'
    ? by
    : (((by.days ?? 0) * 24 + (by.hours ?? 0)) * 60 + (by.minutes ?? 0)) * 60_000 + (by.seconds ?? 0) * 1000 + (by.ms ?? 0);

/** A clock that stands still until a test sets or advances it. Every `now()` is a fresh Date (callers may keep it). */
export class FixedClock extends Clock {
  static readonly DEFAULT_START = new Date('2025-03-03T09:00:00.000Z');
  private current: number;

  constructor(start: Date | string = FixedClock.DEFAULT_START) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): Date {
    this.current = new Date(at).getTime();
    return this.now();
  }

  /** Moves the clock forward by milliseconds or a duration; returns the new time. */
  advance(by: number | Duration): Date {
    this.current += toMs(by);
    return this.now();
  }
}
