export interface Level {
  name: string;
  /** Points (all time) from which an agent holds this level. */
  minPoints: number;
}

/** The documented defaults; GAMIFICATION_LEVELS replaces them with a JSON array of the same shape. */
export const DEFAULT_LEVELS: readonly Level[] = [
  { name: 'Novice', minPoints: 0 },
  { name: 'Apprentice', minPoints: 50 },
  { name: 'Professional', minPoints: 150 },
  { name: 'Expert', minPoints: 400 },
  { name: 'Master', minPoints: 1000 },
];

export const LEVEL_NAME_MAX = 50;
export const LEVELS_MAX = 50;

/** Levels by threshold: an agent holds the highest level whose minPoints they reach, and at least the lowest. */
export class LevelScale {
  private constructor(readonly levels: readonly Level[]) {}

  static defaults(): LevelScale {
    return new LevelScale(DEFAULT_LEVELS.map((l) => ({ ...l })));
  }

  /** Parses GAMIFICATION_LEVELS; throws an Error whose message names the problem in one line. */
  static fromJson(json: string): LevelScale {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('must be a JSON array such as [{"name":"Novice","minPoints":0},{"name":"Expert","minPoints":400}]');
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > LEVELS_MAX) {
      throw new Error(`must be a JSON array of 1–${LEVELS_MAX} levels {"name","minPoints"}`);
    }
    const levels = parsed.map((item: unknown, i): Level => {
      const { name, minPoints, ...rest } = (item ?? {}) as Record<string, unknown>;
      if (item === null || typeof item !== 'object' || Array.isArray(item) || Object.keys(rest).length) {
        throw new Error(`level ${i + 1} must be an object with exactly "name" and "minPoints"`);
      }
      if (typeof name !== 'string' || !name.trim() || name.trim().length > LEVEL_NAME_MAX) {
        throw new Error(`level ${i + 1} needs a name of 1–${LEVEL_NAME_MAX} characters`);
      }
      if (typeof minPoints !== 'number' || !Number.isSafeInteger(minPoints)) {
        throw new Error(`level ${i + 1} ("${name.trim()}") needs an integer minPoints`);
      }
      return { name: name.trim(), minPoints };
    });
    for (let i = 1; i < levels.length; i++) {
      if (levels[i]!.minPoints <= levels[i - 1]!.minPoints) {
        throw new Error(`levels must be in increasing minPoints order ("${levels[i]!.name}" is not above "${levels[i - 1]!.name}")`);
      }
    }
    if (new Set(levels.map((l) => l.name.toLowerCase())).size !== levels.length) throw new Error('level names must be unique');
    return new LevelScale(levels);
  }

  levelOf(points: number): string {
    let level = this.levels[0]!;
    for (const candidate of this.levels) if (points >= candidate.minPoints) level = candidate;
    return level.name;
  }
}
