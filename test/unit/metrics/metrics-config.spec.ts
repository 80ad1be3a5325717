import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../../src/config/env.js';

const problem = (env: Record<string, string>) => {
  try {
    parseEnv(env);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

describe('metrics and InfluxDB configuration', () => {
  it('defaults: /metrics on 127.0.0.1:9464, refreshed every 15 s; no export', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ METRICS_HOST: '127.0.0.1', METRICS_PORT: 9464, METRICS_REFRESH_SECONDS: 15, INFLUX_MAX_BACKLOG: 100_000 });
    expect(env.INFLUX_URL).toBeUndefined();
    expect(parseEnv({ METRICS_PORT: '0' }).METRICS_PORT).toBe(0);
  });

  it('InfluxDB 1.x needs only the URL and the database', () => {
    expect(problem({ INFLUX_URL: 'http://influx:8086', INFLUX_DATABASE: 'tessera' })).toBeNull();
    expect(problem({ INFLUX_URL: 'http://influx:8086' })).toContain('INFLUX_DATABASE is required');
  });

  it('InfluxDB 2 needs org and token with the bucket', () => {
    expect(problem({ INFLUX_URL: 'http://influx:8086', INFLUX_BUCKET: 'b', INFLUX_ORG: 'o', INFLUX_TOKEN: 't' })).toBeNull();
    expect(problem({ INFLUX_URL: 'http://influx:8086', INFLUX_BUCKET: 'b', INFLUX_TOKEN: 't' })).toContain('INFLUX_ORG is required');
    expect(problem({ INFLUX_URL: 'http://influx:8086', INFLUX_BUCKET: 'b', INFLUX_ORG: 'o' })).toContain('INFLUX_TOKEN is required');
  });

  it('refuses bad values with one line naming the variable', () => {
    expect(problem({ METRICS_PORT: '70000' })).toContain('METRICS_PORT');
    expect(problem({ METRICS_REFRESH_SECONDS: '0' })).toContain('METRICS_REFRESH_SECONDS');
    expect(problem({ INFLUX_URL: 'ftp://influx', INFLUX_DATABASE: 'x' })).toContain('INFLUX_URL');
    expect(problem({ INFLUX_MAX_BACKLOG: '-1' })).toContain('INFLUX_MAX_BACKLOG');
  });
});
