export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const URGENCIES = ['high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type PriorityTable = Record<Severity, Record<Urgency, Priority>>;

/** ITIL impact (our severity) × urgency. Documented in the README; replaceable through PRIORITY_MATRIX. */
export const DEFAULT_PRIORITY_TABLE: PriorityTable = {
  critical: { high: 'critical', medium: 'critical', low: 'high' },
  high: { high: 'critical', medium: 'high', low: 'medium' },
  medium: { high: 'high', medium: 'medium', low: 'low' },
  low: { high: 'medium', medium: 'low', low: 'low' },
};

export class PriorityMatrix {
  constructor(private readonly table: PriorityTable = DEFAULT_PRIORITY_TABLE) {}

  derive(severity: Severity, urgency: Urgency): Priority {
    return this.table[severity][urgency];
  }

  /** Parses a JSON table; throws an Error naming the first missing or invalid cell. */
  static fromJson(json: string): PriorityMatrix {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error('is not valid JSON');
    }
    const table = {} as PriorityTable;
    for (const severity of SEVERITIES) {
      const row = (raw as Record<string, Record<string, unknown>> | null)?.[severity];
      table[severity] = {} as Record<Urgency, Priority>;
      for (const urgency of URGENCIES) {
        const cell = row?.[urgency];
        if (!PRIORITIES.includes(cell as Priority)) {
          throw new Error(`needs ${severity}.${urgency} set to one of ${PRIORITIES.join(', ')}`);
        }
        table[severity][urgency] = cell as Priority;
      }
    }
    return new PriorityMatrix(table);
  }
}
