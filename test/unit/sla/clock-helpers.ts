import { SlaClock, type SlaEvent, type TicketSlaState } from '../../../src/core/sla/sla-clock.js';
import type { Priority } from '../../../src/core/tickets/priority-matrix.js';
import { at } from './calendars.js';
import { aPolicy } from './policies.js';

/** Mon–Fri 09:00–17:00 UTC. high = 2 h / 8 h, critical = 1 h / 4 h, medium = 4 h / 16 h, low = 8 h / 40 h. */
export const standard = aPolicy();

export const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/** An instant on Monday 2025-03-10 (UTC), from 'HH:MM'. */
export const mon = (time: string): Date => at(`2025-03-10T${time}:00Z`);
/** An instant on Tuesday 2025-03-11 (UTC), from 'HH:MM'. */
export const tue = (time: string): Date => at(`2025-03-11T${time}:00Z`);

export const started = (priority: Priority, when: string | Date, policy = standard): TicketSlaState =>
  SlaClock.start(policy, priority, typeof when === 'string' ? at(when) : when).state;

/** Events as [clock, type] pairs, for asserting what happened in order. */
export const kinds = (events: SlaEvent[]): string[][] => events.map((e) => [e.clock, e.type]);

export const dues = (state: TicketSlaState): (string | null)[] => [iso(state.firstResponseDueAt), iso(state.resolutionDueAt)];
