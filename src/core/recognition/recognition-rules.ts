/**
 * What earns or costs an agent points. Each rule is awarded from one kind of outbox event to the agent the event
 * names (the ticket's assignee when it happened); a rule worth 0 records nothing. GAMIFICATION_RULES overrides any
 * of these defaults with a JSON object of the same keys.
 */
export const DEFAULT_RULES = {
  /** sla.fulfilled, clock resolution, not late. Taken back when the ticket is reopened. */
  resolved_within_sla: 10,
  /** sla.fulfilled, clock first_response, not late, by a reply (not by resolving without one). */
  first_response_within_sla: 5,
  /** ticket.rated, by the rating given. */
  rating_5: 5,
  rating_4: 2,
  rating_3: 0,
  rating_2: -5,
  rating_1: -5,
  /** ticket.status_changed from resolved back into work. */
  reopened: -8,
  /** sla.breached, each clock. */
  sla_breached: -5,
} as const;

export type RuleId = keyof typeof DEFAULT_RULES;
export const RULE_IDS = Object.keys(DEFAULT_RULES) as RuleId[];

/** The entry that cancels a resolution award when the ticket is reopened (points: minus the award). */
export const RESOLUTION_TAKEN_BACK = 'resolution_taken_back';

/** Any rule is worth at most this many points either way. */
export const RULE_POINTS_LIMIT = 10_000;

export class RecognitionRules {
  private constructor(private readonly points: Readonly<Record<RuleId, number>>) {}

  static defaults(): RecognitionRules {
    return new RecognitionRules({ ...DEFAULT_RULES });
  }

  /** Parses GAMIFICATION_RULES; throws an Error whose message names the problem in one line. */
  static fromJson(json: string): RecognitionRules {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('must be a JSON object such as {"resolved_within_sla":10,"reopened":-8}');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('must be a JSON object of rule names to points');
    }
    const points: Record<RuleId, number> = { ...DEFAULT_RULES };
    for (const [key, value] of Object.entries(parsed)) {
      if (!(RULE_IDS as string[]).includes(key)) throw new Error(`has an unknown rule "${key}" (known: ${RULE_IDS.join(', ')})`);
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > RULE_POINTS_LIMIT) {
        throw new Error(`rule "${key}" must be an integer from -${RULE_POINTS_LIMIT} to ${RULE_POINTS_LIMIT}`);
      }
      points[key as RuleId] = value;
    }
    return new RecognitionRules(points);
  }

  pointsOf(rule: RuleId): number {
    return this.points[rule];
  }

  toJSON(): Record<RuleId, number> {
    return { ...this.points };
  }
}
