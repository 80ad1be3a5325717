/** A cache of read results in front of a query port. Implementations never throw: they fall back to `load`. */
export interface ReadCache {
  /** The cached value of `key`, or `load()`'s (then cached unless a change was committed meanwhile). */
  read<T>(key: string, load: () => Promise<T | null>): Promise<T | null>;
  /** Called after a change to what `keys` hold committed; returns once every cache user will see it. */
  invalidate(keys: string[]): Promise<void>;
}

/** Cache keys, shared by the readers that fill them and the after-commit hook that invalidates them. */
export const cacheKeys = {
  ticket: (id: string) => `ticket:${id}`,
  categoryTree: 'categories',
};
