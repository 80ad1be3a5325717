import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../../src/config/env.js';

describe('security settings in the environment', () => {
  it('trusts no proxy by default and locks sign-in after 10 failures in 15 minutes', () => {
    const env = parseEnv({});
    expect(env.TRUST_PROXY).toBe(false);
    expect(env.LOGIN_MAX_FAILURES).toBe(10);
    expect(env.LOGIN_FAILURE_WINDOW_SECONDS).toBe(900);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['TRUE', true],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.1 ,fd00::/8', ['10.0.0.0/8', '192.168.1.1', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('reads TRUST_PROXY=%j', (value, expected) => {
    expect(parseEnv({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it.each(['yes', 'proxy.example.com', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '10.0.0.256', ','])('refuses TRUST_PROXY=%j naming it', (value) => {
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it.each([
    ['LOGIN_MAX_FAILURES', '0'],
    ['LOGIN_MAX_FAILURES', 'ten'],
    ['LOGIN_FAILURE_WINDOW_SECONDS', '0'],
  ])('refuses %s=%j', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });
});
