import { InvalidInputError } from '../shared/domain-error.js';
import { checkText } from '../shared/text.js';
import { PRIORITIES, type Priority } from '../tickets/priority-matrix.js';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket-status.js';
import { validateCalendar, type BusinessCalendar } from './business-calendar.js';

/** Targets in business minutes of the policy's calendar. */
export interface SlaTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaEscalation {
  /** Tell the ticket's group when a clock is at risk or breached. */
  notifyGroup: boolean;
  /** Move a breached ticket to this group; null keeps it where it is. */
  reassignToGroupId: string | null;
}

export interface SlaPolicyProps {
  id: string;
  name: string;
  targets: Record<Priority, SlaTarget>;
  calendar: BusinessCalendar;
  /** Statuses that stop the running clocks (waiting on the requester); resolved and closed stop them for good. */
  pauseStatuses: TicketStatus[];
  /** A running clock is at risk once this share of its target has elapsed. */
  atRiskPercent: number;
  escalation: SlaEscalation;
}

/** What a caller supplies: the last three fields have defaults. */
export type SlaPolicyInput = Omit<SlaPolicyProps, 'pauseStatuses' | 'atRiskPercent' | 'escalation'> &
  Partial<Pick<SlaPolicyProps, 'pauseStatuses' | 'atRiskPercent' | 'escalation'>>;

export const DEFAULT_PAUSE_STATUSES: readonly TicketStatus[] = ['pending'];
export const DEFAULT_AT_RISK_PERCENT = 80;
export const DEFAULT_ESCALATION: Readonly<SlaEscalation> = { notifyGroup: true, reassignToGroupId: null };
/** One year of minutes: a longer target is a typo, and it keeps the calendar walk short. */
export const MAX_TARGET_MINUTES = 525_600;
export const NAME_MAX = 100;

/** Why a status may not pause the clocks. */
const NOT_PAUSABLE: Partial<Record<TicketStatus, string>> = {
  new: 'cannot pause the clocks: they start when the ticket is created as new',
  resolved: 'cannot pause the clocks: resolving stops them (and reopening resumes them)',
  closed: 'cannot pause the clocks: closing stops them for good',
};

function checkMinutes(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_TARGET_MINUTES) {
    throw new InvalidInputError(field, `must be a whole number of business minutes, 1–${MAX_TARGET_MINUTES}`);
  }
  return value as number;
}

function checkTargets(raw: unknown): Record<Priority, SlaTarget> {
  if (typeof raw !== 'object' || raw === null) throw new InvalidInputError('targets', 'needs a target per priority');
  const extra = Object.keys(raw).find((key) => !PRIORITIES.includes(key as Priority));
  if (extra !== undefined) {
    throw new InvalidInputError(`targets.${extra}`, `is not a priority (${PRIORITIES.join(', ')})`);
  }
  const targets = {} as Record<Priority, SlaTarget>;
  for (const priority of PRIORITIES) {
    const target = (raw as Record<string, Partial<SlaTarget> | undefined>)[priority];
    const field = `targets.${priority}`;
    if (typeof target !== 'object' || target === null) throw new InvalidInputError(field, 'is required');
    const firstResponseMinutes = checkMinutes(target.firstResponseMinutes, `${field}.firstResponseMinutes`);
    const resolutionMinutes = checkMinutes(target.resolutionMinutes, `${field}.resolutionMinutes`);
    if (firstResponseMinutes > resolutionMinutes) {
      throw new InvalidInputError(`${field}.firstResponseMinutes`, 'must not exceed resolutionMinutes');
    }
    targets[priority] = { firstResponseMinutes, resolutionMinutes };
  }
  return targets;
}

function checkPauseStatuses(raw: unknown): TicketStatus[] {
  if (!Array.isArray(raw)) throw new InvalidInputError('pauseStatuses', 'must be a list of ticket statuses');
  raw.forEach((status, i) => {
    if (!TICKET_STATUSES.includes(status)) {
      throw new InvalidInputError(`pauseStatuses[${i}]`, `must be one of ${TICKET_STATUSES.join(', ')}`);
    }
    const reason = NOT_PAUSABLE[status as TicketStatus];
    if (reason) throw new InvalidInputError(`pauseStatuses[${i}]`, `'${status}' ${reason}`);
  });
  return [...new Set(raw as TicketStatus[])];
}

function checkEscalation(raw: unknown): SlaEscalation {
  if (typeof raw !== 'object' || raw === null) throw new InvalidInputError('escalation', 'must be an object');
  const { notifyGroup, reassignToGroupId } = raw as Partial<SlaEscalation>;
  if (typeof notifyGroup !== 'boolean') throw new InvalidInputError('escalation.notifyGroup', 'must be true or false');
  if (reassignToGroupId !== null && (typeof reassignToGroupId !== 'string' || reassignToGroupId.trim() === '')) {
    throw new InvalidInputError('escalation.reassignToGroupId', 'must be a group id or null');
  }
  return { notifyGroup, reassignToGroupId };
}

/** Checks a policy, fills the defaults and returns a normalised copy; InvalidInputError names the field. */
export function validateSlaPolicy(input: SlaPolicyInput): SlaPolicyProps {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('policy', 'must be an object');
  const raw = input as Partial<SlaPolicyInput>;
  if (typeof raw.id !== 'string' || raw.id.trim() === '') throw new InvalidInputError('id', 'is required');
  const name = checkText('name', typeof raw.name === 'string' ? raw.name : '', { max: NAME_MAX });
  const targets = checkTargets(raw.targets);
  const calendar = validateCalendar(raw.calendar as BusinessCalendar);
  const pauseStatuses = checkPauseStatuses(raw.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES]);
  const atRiskPercent = raw.atRiskPercent ?? DEFAULT_AT_RISK_PERCENT;
  if (!Number.isInteger(atRiskPercent) || atRiskPercent < 1 || atRiskPercent > 99) {
    throw new InvalidInputError('atRiskPercent', 'must be a whole number 1–99');
  }
  const escalation = checkEscalation(raw.escalation ?? DEFAULT_ESCALATION);
  return { id: raw.id, name, targets, calendar, pauseStatuses, atRiskPercent, escalation };
}
