import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { validateSlaPolicy, type SlaPolicyInput } from '../../../src/core/sla/sla-policy.js';
import { aPolicyInput, STANDARD_TARGETS } from './policies.js';

const invalid = (input: unknown): InvalidInputError => {
  try {
    validateSlaPolicy(input as SlaPolicyInput);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected validateSlaPolicy to fail');
};

const withTarget = (priority: string, target: unknown) => aPolicyInput({ targets: { ...STANDARD_TARGETS, [priority]: target } as never });

describe('validateSlaPolicy', () => {
  it('fills the defaults: pause on pending, at risk at 80 %, notify the group, no reassignment', () => {
    const policy = validateSlaPolicy(aPolicyInput());
    expect(policy.pauseStatuses).toEqual(['pending']);
    expect(policy.atRiskPercent).toBe(80);
    expect(policy.escalation).toEqual({ notifyGroup: true, reassignToGroupId: null });
  });

  it('keeps what was given, trims the name, drops duplicate pause statuses and normalises the calendar', () => {
    const policy = validateSlaPolicy(
      aPolicyInput({
        name: '  Gold  ',
        pauseStatuses: ['pending', 'in_progress', 'pending'],
        atRiskPercent: 75,
        escalation: { notifyGroup: false, reassignToGroupId: 'escalations' },
        calendar: { timeZone: 'us/eastern', weeklyHours: [{ day: 1, start: '08:00', end: '20:00' }], holidays: [] },
      }),
    );
    expect(policy).toMatchObject({
      name: 'Gold',
      pauseStatuses: ['pending', 'in_progress'],
      atRiskPercent: 75,
      escalation: { notifyGroup: false, reassignToGroupId: 'escalations' },
      targets: STANDARD_TARGETS,
    });
    expect(policy.calendar.timeZone).toBe('America/New_York');
  });

  it('allows first response to equal resolution and accepts an empty pause list', () => {
    const policy = validateSlaPolicy(
      aPolicyInput({ targets: { ...STANDARD_TARGETS, low: { firstResponseMinutes: 60, resolutionMinutes: 60 } }, pauseStatuses: [] }),
    );
    expect(policy.targets.low).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 60 });
    expect(policy.pauseStatuses).toEqual([]);
  });

  it.each([
    ['a missing id', { ...aPolicyInput(), id: '' }, 'id', 'required'],
    ['a blank name', aPolicyInput({ name: '   ' }), 'name', '1–100 characters'],
    ['a name too long', aPolicyInput({ name: 'x'.repeat(101) }), 'name', '1–100 characters'],
    ['no targets', { ...aPolicyInput(), targets: undefined }, 'targets', 'a target per priority'],
    ['a missing priority', aPolicyInput({ targets: { ...STANDARD_TARGETS, medium: undefined } as never }), 'targets.medium', 'required'],
    ['an unknown priority', withTarget('urgent', { firstResponseMinutes: 5, resolutionMinutes: 10 }), 'targets.urgent', 'is not a priority'],
    ['zero minutes', withTarget('high', { firstResponseMinutes: 0, resolutionMinutes: 60 }), 'targets.high.firstResponseMinutes', 'whole number'],
    ['fractional minutes', withTarget('high', { firstResponseMinutes: 30, resolutionMinutes: 90.5 }), 'targets.high.resolutionMinutes', 'whole number'],
    ['minutes as a string', withTarget('low', { firstResponseMinutes: '30', resolutionMinutes: 60 }), 'targets.low.firstResponseMinutes', 'whole number'],
    ['more than a year', withTarget('low', { firstResponseMinutes: 60, resolutionMinutes: 525_601 }), 'targets.low.resolutionMinutes', '1–525600'],
    ['first response after resolution', withTarget('critical', { firstResponseMinutes: 300, resolutionMinutes: 240 }), 'targets.critical.firstResponseMinutes', 'must not exceed resolutionMinutes'],
    ['no calendar', { ...aPolicyInput(), calendar: undefined }, 'calendar', 'timeZone'],
    ['a calendar with a bad range', aPolicyInput({ calendar: { timeZone: 'UTC', weeklyHours: [{ day: 1, start: '10:00', end: '09:00' }], holidays: [] } }), 'calendar.weeklyHours[0].end', 'after start'],
    ['pause statuses that are not a list', aPolicyInput({ pauseStatuses: 'pending' as never }), 'pauseStatuses', 'list'],
    ['an unknown pause status', aPolicyInput({ pauseStatuses: ['pending', 'waiting' as never] }), 'pauseStatuses[1]', 'must be one of new, open'],
    ['pausing on new', aPolicyInput({ pauseStatuses: ['new'] }), 'pauseStatuses[0]', "'new' cannot pause the clocks: they start when the ticket is created"],
    ['pausing on resolved', aPolicyInput({ pauseStatuses: ['pending', 'resolved'] }), 'pauseStatuses[1]', "'resolved' cannot pause the clocks: resolving stops them"],
    ['pausing on closed', aPolicyInput({ pauseStatuses: ['closed'] }), 'pauseStatuses[0]', "'closed' cannot pause the clocks: closing stops them for good"],
    ['at risk at 0 %', aPolicyInput({ atRiskPercent: 0 }), 'atRiskPercent', '1–99'],
    ['at risk at 100 %', aPolicyInput({ atRiskPercent: 100 }), 'atRiskPercent', '1–99'],
    ['at risk at 80.5 %', aPolicyInput({ atRiskPercent: 80.5 }), 'atRiskPercent', '1–99'],
    ['escalation that is not an object', aPolicyInput({ escalation: true as never }), 'escalation', 'object'],
    ['notifyGroup missing', aPolicyInput({ escalation: { reassignToGroupId: null } as never }), 'escalation.notifyGroup', 'true or false'],
    ['a blank group to reassign to', aPolicyInput({ escalation: { notifyGroup: true, reassignToGroupId: ' ' } }), 'escalation.reassignToGroupId', 'group id or null'],
    ['an undefined group to reassign to', aPolicyInput({ escalation: { notifyGroup: true } as never }), 'escalation.reassignToGroupId', 'group id or null'],
  ])('rejects %s', (_name, input, field, message) => {
    expect(invalid(input).fieldErrors).toEqual([{ field, message: expect.stringContaining(message) }]);
  });
});
