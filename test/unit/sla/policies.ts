import type { Priority } from '../../../src/core/tickets/priority-matrix.js';
import { validateSlaPolicy, type SlaPolicyInput, type SlaPolicyProps, type SlaTarget } from '../../../src/core/sla/sla-policy.js';
import { office } from './calendars.js';

const hours = (firstResponse: number, resolution: number): SlaTarget => ({
  firstResponseMinutes: firstResponse * 60,
  resolutionMinutes: resolution * 60,
});

/** Business hours: critical 1 h / 4 h, high 2 h / 8 h, medium 4 h / 16 h, low 8 h / 40 h. */
export const STANDARD_TARGETS: Record<Priority, SlaTarget> = {
  critical: hours(1, 4),
  high: hours(2, 8),
  medium: hours(4, 16),
  low: hours(8, 40),
};

/** A valid policy input (Mon–Fri 09:00–17:00 UTC unless overridden). */
export const aPolicyInput = (overrides: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  id: 'standard',
  name: 'Standard',
  targets: STANDARD_TARGETS,
  calendar: office(),
  ...overrides,
});

export const aPolicy = (overrides: Partial<SlaPolicyInput> = {}): SlaPolicyProps => validateSlaPolicy(aPolicyInput(overrides));
