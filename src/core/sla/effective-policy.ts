import type { SlaPolicyProps } from './sla-policy.js';

/**
 * The policy the clocks count with: every target divided by `divisor` (SLA_TARGET_DIVISOR, 1 in production; tests
 * use 60 so a 1-minute target lasts a second). The stored policy and the API keep the minutes as written.
 */
export function effectivePolicy(policy: SlaPolicyProps, divisor: number): SlaPolicyProps {
  if (divisor === 1) return policy;
  const targets = Object.fromEntries(
    Object.entries(policy.targets).map(([priority, t]) => [
      priority,
      { firstResponseMinutes: t.firstResponseMinutes / divisor, resolutionMinutes: t.resolutionMinutes / divisor },
    ]),
  ) as SlaPolicyProps['targets'];
  return { ...policy, targets };
}

export interface SlaSettings {
  /** See effectivePolicy. */
  targetDivisor: number;
}
