import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../../src/config/env.js';

describe('triage configuration', () => {
  it('has documented defaults', () => {
    expect(parseEnv({})).toMatchObject({
      TRIAGE_APPLY_CONFIDENCE: 0.85,
      TRIAGE_DUPLICATE_SIMILARITY: 0.75,
      TRIAGE_RETRAIN_EVERY_MINUTES: 1440,
      TRIAGE_MIN_EXAMPLES: 50,
      TRIAGE_TRAINING_LIMIT: 20_000,
      TRIAGE_MODELS_KEPT: 5,
    });
  });

  it('accepts thresholds from 0 to 1 and an interval of 0 (no schedule)', () => {
    expect(parseEnv({ TRIAGE_APPLY_CONFIDENCE: '1', TRIAGE_DUPLICATE_SIMILARITY: '0', TRIAGE_RETRAIN_EVERY_MINUTES: '0' }))
      .toMatchObject({ TRIAGE_APPLY_CONFIDENCE: 1, TRIAGE_DUPLICATE_SIMILARITY: 0, TRIAGE_RETRAIN_EVERY_MINUTES: 0 });
  });

  it.each([
    ['TRIAGE_APPLY_CONFIDENCE', '1.5'],
    ['TRIAGE_APPLY_CONFIDENCE', '-0.1'],
    ['TRIAGE_APPLY_CONFIDENCE', 'high'],
    ['TRIAGE_DUPLICATE_SIMILARITY', '2'],
    ['TRIAGE_RETRAIN_EVERY_MINUTES', '-1'],
    ['TRIAGE_RETRAIN_EVERY_MINUTES', '1.5'],
    ['TRIAGE_MIN_EXAMPLES', '0'],
    ['TRIAGE_TRAINING_LIMIT', '100001'],
    ['TRIAGE_MODELS_KEPT', '0'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    let error: unknown;
    try {
      parseEnv({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});
