import { createHash } from 'node:crypto';

const MAX_NAMES = 500;
const names = new Map<string, string>();

/**
 * A named (prepared) statement for a fixed-shape query on the hot path: PostgreSQL parses it once per
 * connection instead of on every call. TypeORM hands the object straight to `pg`, keeping its transaction and
 * error handling. Only for statements whose best plan does not depend on the values (inserts, lookups by key);
 * list and search queries stay unnamed so each gets a plan for its own values.
 */
export function prepared(text: string): string {
  let name = names.get(text);
  if (!name) {
    if (names.size >= MAX_NAMES) names.clear();
    name = `tessera_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text } as unknown as string;
}
