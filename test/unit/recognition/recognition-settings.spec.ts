import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVELS, LevelScale } from '../../../src/core/recognition/level-scale.js';
import { periodStart } from '../../../src/core/recognition/read-recognition.use-case.js';
import { DEFAULT_RULES, RecognitionRules } from '../../../src/core/recognition/recognition-rules.js';
import { ConfigError, parseEnv } from '../../../src/config/env.js';

describe('GAMIFICATION_RULES', () => {
  it('overrides the documented defaults key by key', () => {
    expect(RecognitionRules.defaults().toJSON()).toEqual(DEFAULT_RULES);
    expect(RecognitionRules.fromJson('{"reopened":-20}').toJSON()).toEqual({ ...DEFAULT_RULES, reopened: -20 });
  });

  it.each([
    ['not json', /JSON object/],
    ['[1]', /JSON object/],
    ['null', /JSON object/],
    ['{"bonus":3}', /unknown rule "bonus"/],
    ['{"reopened":"-8"}', /integer/],
    ['{"reopened":1.5}', /integer/],
    ['{"reopened":100000}', /integer/],
  ])('refuses %s', (json, message) => {
    expect(() => RecognitionRules.fromJson(json)).toThrow(message);
  });

  it('is checked at start with one line naming the variable', () => {
    expect(() => parseEnv({ GAMIFICATION_RULES: '{"bonus":3}' })).toThrow(ConfigError);
    expect(() => parseEnv({ GAMIFICATION_RULES: '{"bonus":3}' })).toThrow(/^Invalid configuration: GAMIFICATION_RULES has an unknown rule "bonus"/);
    expect(() => parseEnv({ GAMIFICATION_LEVELS: '[]' })).toThrow(/^Invalid configuration: GAMIFICATION_LEVELS /);
    expect(parseEnv({ GAMIFICATION_RULES: '{"rating_5":7}', GAMIFICATION_LEVELS: '[{"name":"All","minPoints":0}]' })).toMatchObject({
      GAMIFICATION_RULES: '{"rating_5":7}',
    });
  });
});

describe('GAMIFICATION_LEVELS', () => {
  it('gives the highest level reached, and the lowest below every threshold', () => {
    const scale = LevelScale.defaults();
    expect(scale.levels).toEqual(DEFAULT_LEVELS);
    expect([-50, 0, 49, 50, 149, 150, 399, 400, 999, 1000, 10_000].map((p) => scale.levelOf(p))).toEqual([
      'Novice', 'Novice', 'Novice', 'Apprentice', 'Apprentice', 'Professional', 'Professional', 'Expert', 'Expert', 'Master', 'Master',
    ]);
  });

  it('parses names and thresholds', () => {
    const scale = LevelScale.fromJson('[{"name":" Rookie ","minPoints":-10},{"name":"Pro","minPoints":100}]');
    expect(scale.levels).toEqual([{ name: 'Rookie', minPoints: -10 }, { name: 'Pro', minPoints: 100 }]);
    expect(scale.levelOf(-100)).toBe('Rookie');
    expect(scale.levelOf(100)).toBe('Pro');
  });

  it.each([
    ['nope', /JSON array/],
    ['{}', /JSON array/],
    ['[]', /1–50 levels/],
    ['[{"name":"A"}]', /integer minPoints/],
    ['[{"name":"","minPoints":0}]', /name of 1–50/],
    ['[{"name":"A","minPoints":0,"colour":"red"}]', /exactly "name" and "minPoints"/],
    ['[null]', /exactly/],
    ['[{"name":"A","minPoints":10},{"name":"B","minPoints":10}]', /increasing/],
    ['[{"name":"A","minPoints":0},{"name":"a","minPoints":10}]', /unique/],
  ])('refuses %s', (json, message) => {
    expect(() => LevelScale.fromJson(json)).toThrow(message);
  });
});

describe('leaderboard periods (UTC)', () => {
  it.each([
    ['2026-12-03T04:00:00Z', '2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z'], // Thursday
    ['2026-11-30T00:00:00Z', '2026-11-30T00:00:00.000Z', '2026-11-01T00:00:00.000Z'], // Monday midnight
    ['2026-11-29T23:59:59Z', '2026-11-23T00:00:00.000Z', '2026-11-01T00:00:00.000Z'], // Sunday night
    ['2027-01-01T12:00:00Z', '2026-12-28T00:00:00.000Z', '2027-01-01T00:00:00.000Z'], // a week across the year
  ])('at %s the week starts %s and the month %s', (now, week, month) => {
    expect(periodStart('week', new Date(now))!.toISOString()).toBe(week);
    expect(periodStart('month', new Date(now))!.toISOString()).toBe(month);
    expect(periodStart('all', new Date(now))).toBeNull();
  });
});
