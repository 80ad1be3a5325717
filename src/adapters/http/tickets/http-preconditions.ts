import { InvalidInputError } from '../../../core/shared/domain-error.js';

export const etagOf = (version: number) => `"${version}"`;

/** Reads `If-Match: "7"` (or W/"7"); `*` or no header means "any version". */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(ifMatch);
  if (!match) throw new InvalidInputError('If-Match', 'must be an ETag from this API, like "3"');
  return Number(match[1]);
}

export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(header)) {
    throw new InvalidInputError('Idempotency-Key', 'must be 1–200 visible ASCII characters');
  }
  return header;
}
