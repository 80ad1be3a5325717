import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import {
  WEBHOOK_HEADERS,
  generateSecret,
  signPayload,
  verifySignature,
  webhookHeaders,
} from '../../../src/core/webhooks/webhook-signature.js';
import { failureOf } from '../failure-of.js';

const secret = 'whsec_test-secret';
const body = JSON.stringify({ type: 'ticket.created', data: { id: 't-1', title: 'Printer on fire — ünïcode' } });
const at = new Date('2025-07-01T12:00:00.000Z');
const atSeconds = 1_751_371_200;
const secondsLater = (s: number) => new Date(at.getTime() + s * 1000);

describe('signPayload', () => {
  it('signs `${t}.${body}` with HMAC-SHA256 under the secret, in a t=…,v1=… header', () => {
    const { header, timestamp } = signPayload(secret, body, at);

    const expected = createHmac('sha256', secret).update(`${atSeconds}.${body}`).digest('hex');
    expect(timestamp).toBe(atSeconds);
    expect(header).toBe(`t=${atSeconds},v1=${expected}`);
  });

  it('truncates the time to whole seconds', () => {
    expect(signPayload(secret, body, new Date('2025-07-01T12:00:00.999Z')).timestamp).toBe(atSeconds);
  });

  it('emits one v1 value per secret while rotating', () => {
    const { header } = signPayload(['whsec_old', 'whsec_new'], body, at);

    expect(header.split(',').map((p) => p.slice(0, 3))).toEqual(['t=1', 'v1=', 'v1=']);
    expect(verifySignature('whsec_old', body, header, at)).toBe(true);
    expect(verifySignature('whsec_new', body, header, at)).toBe(true);
  });

  it('refuses an empty secret', async () => {
    expect(await failureOf(() => signPayload('', body, at))).toBeInstanceOf(InvalidInputError);
    expect(await failureOf(() => signPayload([], body, at))).toBeInstanceOf(InvalidInputError);
  });
});

describe('verifySignature', () => {
  const { header } = signPayload(secret, body, at);

  it('accepts its own signature', () => {
    expect(verifySignature(secret, body, header, at)).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifySignature(secret, body.replace('t-1', 't-2'), header, at)).toBe(false);
    expect(verifySignature(secret, `${body} `, header, at)).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verifySignature('whsec_other', body, header, at)).toBe(false);
    expect(verifySignature('', body, header, at)).toBe(false);
  });

  it('rejects a signature whose timestamp was altered (it is signed with the body)', () => {
    const replayed = header.replace(`t=${atSeconds}`, `t=${atSeconds + 600}`);
    expect(verifySignature(secret, body, replayed, secondsLater(600))).toBe(false);
  });

  it.each([
    [300, true],
    [301, false],
    [-300, true],
    [-301, false],
    [3600, false],
  ])('with the default 300 s tolerance, a check %i s after signing passes: %s', (offset, accepted) => {
    expect(verifySignature(secret, body, header, secondsLater(offset))).toBe(accepted);
  });

  it('honours a custom tolerance', () => {
    expect(verifySignature(secret, body, header, secondsLater(30), 10)).toBe(false);
    expect(verifySignature(secret, body, header, secondsLater(30), 60)).toBe(true);
  });

  const v1 = header.split(',v1=')[1]!;
  it.each([
    ['empty', ''],
    ['no timestamp', `v1=${v1}`],
    ['no signature', `t=${atSeconds}`],
    ['two timestamps', `t=${atSeconds},t=${atSeconds},v1=${v1}`],
    ['non-numeric timestamp', `t=abc,v1=${v1}`],
    ['fractional timestamp', `t=${atSeconds}.5,v1=${v1}`],
    ['negative timestamp', `t=-${atSeconds},v1=${v1}`],
    ['short signature', `t=${atSeconds},v1=${v1.slice(0, 62)}`],
    ['non-hex signature', `t=${atSeconds},v1=${'z'.repeat(64)}`],
    ['part without =', `t=${atSeconds},v1=${v1},garbage`],
    ['trailing comma', `t=${atSeconds},v1=${v1},`],
    ['only an unknown scheme', `t=${atSeconds},v0=${v1}`],
  ])('rejects a malformed header (%s) without throwing', (_name, malformed) => {
    expect(verifySignature(secret, body, malformed, at)).toBe(false);
  });

  it('tolerates spaces around parts and ignores unknown schemes next to a valid v1', () => {
    expect(verifySignature(secret, body, `t=${atSeconds}, v0=abc, v1=${v1}`, at)).toBe(true);
    expect(verifySignature(secret, body, `v1=${v1.toUpperCase()},t=${atSeconds}`, at)).toBe(true);
  });

  it('accepts a header carrying several v1 values when any one matches (rotation)', () => {
    const foreign = signPayload('whsec_someone-else', body, at).header.split(',v1=')[1]!;
    expect(verifySignature(secret, body, `t=${atSeconds},v1=${foreign},v1=${v1}`, at)).toBe(true);
    expect(verifySignature(secret, body, `t=${atSeconds},v1=${foreign}`, at)).toBe(false);
  });

  it('accepts any of several receiver secrets (the receiver rotating)', () => {
    expect(verifySignature(['whsec_new', secret], body, header, at)).toBe(true);
    expect(verifySignature(['whsec_new', 'whsec_newer'], body, header, at)).toBe(false);
  });
});

describe('generateSecret', () => {
  it('makes distinct whsec_ secrets carrying 32 random bytes', () => {
    const a = generateSecret();
    const b = generateSecret();

    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe('webhookHeaders', () => {
  it('carries the event, delivery id, timestamp and a verifiable signature', () => {
    const headers = webhookHeaders({ secret, event: 'ticket.created', deliveryId: 'd-1', body, at });

    expect(headers).toMatchObject({
      'Content-Type': 'application/json',
      [WEBHOOK_HEADERS.event]: 'ticket.created',
      [WEBHOOK_HEADERS.delivery]: 'd-1',
      [WEBHOOK_HEADERS.timestamp]: String(atSeconds),
    });
    expect(verifySignature(secret, body, headers[WEBHOOK_HEADERS.signature]!, at)).toBe(true);
  });
});
