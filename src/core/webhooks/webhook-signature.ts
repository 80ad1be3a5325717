import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../shared/domain-error.js';

/**
 * Webhook signatures, in the Stripe / Standard Webhooks style:
 *
 *   Tessera-Signature: t=1751371200,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>[,v1=<…>]
 *
 * The timestamp is signed with the body, so a captured delivery cannot be replayed outside the tolerance window.
 * While a secret is being rotated, a delivery carries one v1 value per secret and a receiver accepts any of them.
 */
export const WEBHOOK_HEADERS = {
  signature: 'Tessera-Signature',
  event: 'Tessera-Event',
  delivery: 'Tessera-Delivery',
  timestamp: 'Tessera-Timestamp',
} as const;

export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** A new signing secret: `whsec_` and 32 random bytes in base64url. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** Signs `body` at `at`; pass several secrets while rotating to emit one v1 value per secret. */
export function signPayload(
  secret: string | readonly string[],
  body: string,
  at: Date,
): { header: string; timestamp: number } {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    throw new InvalidInputError('secret', 'must not be empty');
  }
  const timestamp = Math.floor(at.getTime() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new InvalidInputError('at', 'must be a valid date');
  const signatures = secrets.map((s) => `v1=${hmacHex(s, timestamp, body)}`);
  return { header: [`t=${timestamp}`, ...signatures].join(','), timestamp };
}

/**
 * True when `header` is well formed, its timestamp lies within `toleranceSeconds` of `now` (either side), and one
 * of its v1 values is the HMAC of the body under `secret` (or under any of `secret` when given several).
 * Unknown schemes (e.g. a future v2) are ignored, as Stripe does.
 */
export function verifySignature(
  secret: string | readonly string[],
  body: string,
  header: string,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (!(Math.abs(nowSeconds - parsed.timestamp) <= toleranceSeconds)) return false;

  const secrets = (typeof secret === 'string' ? [secret] : secret).filter((s) => s.length > 0);
  let matched = false;
  for (const s of secrets) {
    const expected = Buffer.from(hmacHex(s, parsed.timestamp, body), 'hex');
    for (const candidate of parsed.signatures) {
      // Both are 32 bytes (the parser only keeps 64-digit hex), so timingSafeEqual never throws here.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  return matched;
}

/** The timestamp and the v1 signatures of a header, or null when it is malformed. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: Buffer[] } | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > 4096) return null;
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !UNIX_SECONDS.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

/** The four Tessera headers (and the content type) for one delivery of a JSON body. */
export function webhookHeaders(input: {
  secret: string | readonly string[];
  event: string;
  deliveryId: string;
  body: string;
  at: Date;
}): Record<string, string> {
  const { header, timestamp } = signPayload(input.secret, input.body, input.at);
  return {
    'Content-Type': 'application/json',
    [WEBHOOK_HEADERS.event]: input.event,
    [WEBHOOK_HEADERS.delivery]: input.deliveryId,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: header,
  };
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}
