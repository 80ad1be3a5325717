/**
 * JSON that keeps Dates: each Date is written as {"$date": <epoch ms>} and read back as a Date, whatever field
 * holds it (snapshots grow fields; no list of date fields to keep in step).
 */
export function encodeCached(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : v;
  });
}

export function decodeCached<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const date = (v as { $date?: unknown }).$date;
      if (keys.length === 1 && typeof date === 'number') return new Date(date);
    }
    return v;
  }) as T;
}
