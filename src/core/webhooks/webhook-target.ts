import { InvalidInputError } from '../shared/domain-error.js';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

// Whitespace and C0/C1 controls: the URL parser would silently drop or encode them, so what is stored would not be
// what the admin typed.
// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * The syntax of a webhook target URL: absolute http(s), a host, no credentials, no fragment, at most 2048
 * characters. Leading and trailing whitespace is trimmed. Whether the host may be reached (private addresses,
 * DNS) is decided at delivery time by the outbound adapter, which resolves the name.
 */
export function validateWebhookUrl(url: string): URL {
  if (typeof url !== 'string') throw new InvalidInputError('url', 'must be a string');
  const text = url.trim();
  if (text.length === 0) throw new InvalidInputError('url', 'must not be empty');
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    throw new InvalidInputError('url', `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  if (WHITESPACE_OR_CONTROL.test(text)) {
    throw new InvalidInputError('url', 'must not contain whitespace or control characters');
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new InvalidInputError('url', 'must be an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidInputError('url', 'must use http or https');
  }
  if (parsed.username !== '' || parsed.password !== '' || authorityOf(text).includes('@')) {
    throw new InvalidInputError('url', 'must not contain credentials (user:password@)');
  }
  if (parsed.hostname === '') throw new InvalidInputError('url', 'must have a host');
  if (parsed.port === '0') throw new InvalidInputError('url', 'must not use port 0');
  if (parsed.hash !== '' || text.includes('#')) throw new InvalidInputError('url', 'must not contain a fragment');
  if (parsed.href.length > MAX_WEBHOOK_URL_LENGTH) {
    throw new InvalidInputError('url', `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  return parsed;
}

/** The raw authority (userinfo@host:port) of an absolute URL, before the parser normalises it. */
function authorityOf(text: string): string {
  return text.replace(/^[a-z][a-z0-9+.-]*:[/\\]*/i, '').split(/[/?#\\]/)[0] ?? '';
}
