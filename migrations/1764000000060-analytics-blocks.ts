import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MEASURES } from './1764000000050-analytics.js';

const MEASURE_NAMES = [...MEASURES.matchAll(/^\s*(\w+) bigint/gm)].map((m) => m[1]!);
const SPANS = `unnest('{1,4,16,64}'::smallint[]) AS s(span)`;
const BLOCK_START = `(d.day - (((d.day - DATE '1970-01-01') % s.span + s.span) % s.span))`;
const ALL = `'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid`;

/** One day rollup of migration 050 and the block rollup that replaces it. */
interface Move {
  from: string;
  to: string;
  /** Key columns in primary-key order, and which of them are also summed over ("any"). */
  keys: string[];
  cube: string[];
  columns: string[];
  primaryKey: string;
}

const MOVES: Move[] = [
  {
    from: 'analytics_daily',
    to: 'analytics_blocks',
    keys: ['group_key', 'category_key', 'priority'],
    cube: ['group_key', 'category_key', 'priority'],
    columns: MEASURE_NAMES,
    primaryKey: '',
  },
  {
    from: 'analytics_daily_hist',
    to: 'analytics_blocks_hist',
    keys: ['group_key', 'category_key', 'priority'],
    cube: ['group_key', 'category_key', 'priority'],
    columns: ['n'],
    primaryKey: ', metric, bin',
  },
  { from: 'analytics_agent_daily', to: 'analytics_agent_blocks', keys: ['group_key', 'agent_key'], cube: ['group_key'], columns: MEASURE_NAMES, primaryKey: '' },
  {
    from: 'analytics_agent_daily_hist',
    to: 'analytics_agent_blocks_hist',
    keys: ['group_key', 'agent_key'],
    cube: ['group_key'],
    columns: ['n'],
    primaryKey: ', metric, bin',
  },
];

/**
 * Analytics rollups kept per block of 1, 4, 16 and 64 days (aligned on 1970-01-01) instead of per day, and also
 * summed over each filterable key ("any" being the all-ones uuid, or '*' for priority), so a 30-day dashboard reads
 * at most 9 rows per bin instead of one per day × group × category × priority (docs/analytics.md). The new tables
 * are filled from the day rollups they replace, which are then dropped.
 */
export class AnalyticsBlocks1764000000060 implements MigrationInterface {
  name = 'AnalyticsBlocks1764000000060';

  async up(db: QueryRunner): Promise<void> {
    for (const m of MOVES) {
      const histogram = m.primaryKey !== '';
      const keyTypes = m.keys.map((k) => `${k} ${k === 'priority' ? 'text' : 'uuid'} NOT NULL`).join(', ');
      const extra = histogram ? 'metric smallint NOT NULL, bin integer NOT NULL, n bigint NOT NULL' : MEASURES;
      await db.query(`
        CREATE TABLE ${m.to} (
          span smallint NOT NULL, day date NOT NULL, ${keyTypes}, ${extra},
          PRIMARY KEY (span, day, ${m.keys.join(', ')}${m.primaryKey})
        )`);
      const plain = m.keys.filter((k) => !m.cube.includes(k));
      const values = m.keys.map((k) => (m.cube.includes(k) ? `coalesce(b.${k}, ${k === 'priority' ? `'*'` : ALL})` : `b.${k}`));
      const bins = histogram ? ['metric', 'bin'] : [];
      await db.query(`
        INSERT INTO ${m.to} (span, day, ${[...m.keys, ...bins, ...m.columns].join(', ')})
        SELECT b.span, b.day, ${[...values, ...bins.map((c) => `b.${c}`), ...m.columns.map((c) => `sum(b.${c})`)].join(', ')}
        FROM (SELECT s.span, ${BLOCK_START} AS day, ${[...m.keys, ...bins, ...m.columns].map((c) => `d.${c}`).join(', ')}
              FROM ${m.from} d CROSS JOIN ${SPANS}) b
        GROUP BY ${['b.span', 'b.day', ...plain.map((k) => `b.${k}`), `CUBE(${m.cube.map((k) => `b.${k}`).join(', ')})`, ...bins.map((c) => `b.${c}`)].join(', ')}
        HAVING ${m.columns.map((c) => `sum(b.${c}) <> 0`).join(' OR ')}`);
      await db.query(`DROP TABLE ${m.from}`);
    }
  }

  /** Back to the day rollups: their rows are the one-day blocks not summed over any key. */
  async down(db: QueryRunner): Promise<void> {
    for (const m of MOVES) {
      const histogram = m.primaryKey !== '';
      const keyTypes = m.keys.map((k) => `${k} ${k === 'priority' ? 'text' : 'uuid'} NOT NULL`).join(', ');
      const extra = histogram ? 'metric smallint NOT NULL, bin integer NOT NULL, n bigint NOT NULL' : MEASURES;
      await db.query(`CREATE TABLE ${m.from} (day date NOT NULL, ${keyTypes}, ${extra}, PRIMARY KEY (day, ${m.keys.join(', ')}${m.primaryKey}))`);
      const columns = ['day', ...m.keys, ...(histogram ? ['metric', 'bin'] : []), ...m.columns].join(', ');
      const anyRow = m.cube.map((k) => `${k} = ${k === 'priority' ? `'*'` : ALL}`).join(' OR ');
      await db.query(`INSERT INTO ${m.from} (${columns}) SELECT ${columns} FROM ${m.to} WHERE span = 1 AND NOT (${anyRow})`);
      await db.query(`DROP TABLE ${m.to}`);
    }
  }
}
