import { describe, expect, it } from 'vitest';
import {
  PriorityMatrix,
  SEVERITIES,
  URGENCIES,
  type Priority,
  type Severity,
  type Urgency,
} from '../../../src/core/tickets/priority-matrix.js';

/** The default in the README ("Priority"), written out by hand rather than read from the code. */
const DEFAULT_CELLS: [Severity, Urgency, Priority][] = [
  ['critical', 'high', 'critical'],
  ['critical', 'medium', 'critical'],
  ['critical', 'low', 'high'],
  ['high', 'high', 'critical'],
  ['high', 'medium', 'high'],
  ['high', 'low', 'medium'],
  ['medium', 'high', 'high'],
  ['medium', 'medium', 'medium'],
  ['medium', 'low', 'low'],
  ['low', 'high', 'medium'],
  ['low', 'medium', 'low'],
  ['low', 'low', 'low'],
];

/** A full table with `cell(severity, urgency)` in every cell, for building custom tables. */
const tableOf = (cell: (s: Severity, u: Urgency) => unknown) =>
  Object.fromEntries(SEVERITIES.map((s) => [s, Object.fromEntries(URGENCIES.map((u) => [u, cell(s, u)]))]));

describe('PriorityMatrix', () => {
  describe('default table', () => {
    const matrix = new PriorityMatrix();

    it('covers every severity × urgency cell', () => {
      expect(DEFAULT_CELLS).toHaveLength(SEVERITIES.length * URGENCIES.length);
    });

    it.each(DEFAULT_CELLS)('severity %s + urgency %s → %s', (severity, urgency, priority) => {
      expect(matrix.derive(severity, urgency)).toBe(priority);
    });

    it('puts the corners at the extremes: critical+high=critical, low+low=low', () => {
      expect(matrix.derive('critical', 'high')).toBe('critical');
      expect(matrix.derive('low', 'low')).toBe('low');
    });
  });

  describe('fromJson', () => {
    it('accepts a full table and derives from it instead of the default', () => {
      const inverted = PriorityMatrix.fromJson(JSON.stringify(tableOf((s) => (s === 'low' ? 'critical' : 'low'))));
      expect(inverted.derive('low', 'low')).toBe('critical');
      expect(inverted.derive('critical', 'high')).toBe('low');
    });

    it('ignores extra keys', () => {
      const json = JSON.stringify({ ...tableOf(() => 'medium'), comment: 'ours', low: { high: 'medium', medium: 'medium', low: 'low', x: 1 } });
      expect(PriorityMatrix.fromJson(json).derive('low', 'low')).toBe('low');
    });

    it.each(['{not json', '', "{'critical': {}}"])('rejects invalid JSON %j', (json) => {
      expect(() => PriorityMatrix.fromJson(json)).toThrow('is not valid JSON');
    });

    it.each(['null', '42', '[]', '"critical"'])('rejects JSON that is not a table (%s), naming the first cell', (json) => {
      expect(() => PriorityMatrix.fromJson(json)).toThrow('needs critical.high set to one of critical, high, medium, low');
    });

    const everyCell = SEVERITIES.flatMap((s) => URGENCIES.map((u) => [s, u] as const));

    it.each(everyCell)('rejects a table missing %s.%s, naming that cell', (severity, urgency) => {
      const table = tableOf(() => 'medium') as Record<string, Record<string, unknown>>;
      delete table[severity]![urgency];
      expect(() => PriorityMatrix.fromJson(JSON.stringify(table))).toThrow(`needs ${severity}.${urgency} set to one of`);
    });

    it.each(everyCell)('rejects a bad value in %s.%s, naming that cell', (severity, urgency) => {
      const table = tableOf((s, u) => (s === severity && u === urgency ? 'urgent' : 'medium'));
      expect(() => PriorityMatrix.fromJson(JSON.stringify(table))).toThrow(`needs ${severity}.${urgency} set to one of`);
    });

    it('rejects a missing severity row, naming its first cell', () => {
      const table = tableOf(() => 'low') as Record<string, unknown>;
      delete table.medium;
      expect(() => PriorityMatrix.fromJson(JSON.stringify(table))).toThrow('needs medium.high');
    });

    it.each([null, 'Critical', 1, ['high']])('rejects the non-priority value %j', (value) => {
      const table = tableOf((s, u) => (s === 'high' && u === 'low' ? value : 'low'));
      expect(() => PriorityMatrix.fromJson(JSON.stringify(table))).toThrow('needs high.low');
    });
  });
});
