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
 * 7 blocks on average (one row per bin each) instead of one row per day × group × category × priority; the backlog
 * likewise keeps its counts per filter combination (docs/analytics.md). The new tables are filled from the ones
 * they replace, which are then dropped.
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
          PRIMARY KEY (span, day, ${m.keys.join(', ')}${m.primaryKey})${histogram ? ' INCLUDE (n)' : ''}
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
    // The backlog: per (status, priority, group, category, assignee) becomes per filter combination and dimension.
    await db.query(`ALTER TABLE analytics_backlog RENAME TO analytics_backlog_050`);
    await db.query(`ALTER TABLE analytics_backlog_050 RENAME CONSTRAINT analytics_backlog_pkey TO analytics_backlog_050_pkey`);
    await db.query(`
      CREATE TABLE analytics_backlog (
        group_key uuid NOT NULL, category_key uuid NOT NULL, priority text NOT NULL, dimension text NOT NULL, value text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (group_key, category_key, priority, dimension, value)
      )`);
    await db.query(`
      INSERT INTO analytics_backlog (group_key, category_key, priority, dimension, value, n)
      SELECT coalesce(x.group_key, ${ALL}), coalesce(x.category_key, ${ALL}), coalesce(x.priority, '*'), x.dimension, x.value, sum(x.n)
      FROM (SELECT b.group_key, b.category_key, b.priority, d.dimension, d.value, b.n FROM analytics_backlog_050 b
            CROSS JOIN LATERAL (VALUES ('status', b.status), ('priority', b.priority), ('category', b.category_key::text),
                                       ('agent', b.agent_key::text)) AS d(dimension, value)) x
      GROUP BY x.dimension, x.value, CUBE(x.group_key, x.category_key, x.priority)
      HAVING sum(x.n) <> 0`);
    await db.query(`DROP TABLE analytics_backlog_050`);
  }

  /** Back to the day rollups: their rows are the one-day blocks not summed over any key. */
  async down(db: QueryRunner): Promise<void> {
    // The per-key backlog cannot be recovered from the per-dimension counts: it is left empty (analytics:rebuild).
    await db.query(`DROP TABLE analytics_backlog`);
    await db.query(`
      CREATE TABLE analytics_backlog (
        status text NOT NULL, priority text NOT NULL, group_key uuid NOT NULL, category_key uuid NOT NULL,
        agent_key uuid NOT NULL, n bigint NOT NULL,
        PRIMARY KEY (status, priority, group_key, category_key, agent_key)
      )`);
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
