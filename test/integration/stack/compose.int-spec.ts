import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.js';
import { dockerDir, parseYaml, readRepoFile, runCommand } from '../../support/stack-files.js';

// docker/compose.yml as Debian's docker-compose 1.29 reads it (no Docker engine needed), with docker/.env.example
// in the place of the operator's docker/.env.
let workDir: string;
let compose: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let resolved: any;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tessera-compose-'));
  await cp(dockerDir, join(workDir, 'docker'), { recursive: true, filter: (source) => !source.endsWith(`${join('docker', '.env')}`) });
  await cp(join(dockerDir, '.env.example'), join(workDir, 'docker', '.env'));
  compose = join(workDir, 'docker', 'compose.yml');
  const config = await runCommand('docker-compose', ['-f', compose, 'config']);
  expect(config.stderr).toBe('');
  expect(config.code).toBe(0);
  resolved = await parseYaml(config.stdout);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('docker/compose.yml', () => {
  it('passes `docker-compose config -q` with the example .env', async () => {
    const result = await runCommand('docker-compose', ['-f', compose, 'config', '-q']);

    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses to start without the secrets of an .env file, naming the first one missing', async () => {
    await rm(join(workDir, 'docker', '.env'));
    try {
      const result = await runCommand('docker-compose', ['-f', compose, 'config', '-q']);

      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('set POSTGRES_PASSWORD in docker/.env');
    } finally {
      await cp(join(dockerDir, '.env.example'), join(workDir, 'docker', '.env'));
    }
  });

  it('starts the core services without a profile and InfluxDB 2 only with the influxdb profile', () => {
    const services = resolved.services;
    const core = ['postgres', 'redis', 'keycloak', 'api', 'worker', 'prometheus', 'grafana'];
    for (const name of core) expect(services[name]?.profiles, name).toBeUndefined();
    expect(services.influxdb.profiles).toEqual(['influxdb']);
    expect(services.influxdb.image).toMatch(/^influxdb:2/);
  });

  it('runs the API and any number of workers from one image, workers without fixed names or host ports', () => {
    const { api, worker } = resolved.services;

    expect(worker.image).toBe(api.image);
    expect(worker.build).toEqual(api.build);
    expect(api.build.dockerfile).toBe('docker/Dockerfile');
    expect(api.command).toEqual(['--role=api']);
    expect(worker.command).toEqual(['--role=worker']);
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.depends_on.api.condition).toBe('service_healthy');
  });

  it('gives the API and the workers a configuration the app accepts, in Keycloak mode with the realm’s audience', () => {
    for (const name of ['api', 'worker']) {
      const env = parseEnv(resolved.services[name].environment);
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toBe('postgres://tessera:change-me-postgres@postgres:5432/tessera');
      expect(env.REDIS_URL).toBe('redis://:change-me-redis@redis:6379');
      expect(env.REDIS_AUTOSTART).toBe(false);
      expect(env.OIDC_ISSUER_URL).toBe('http://localhost:8080/realms/tessera');
      expect(env.OIDC_JWKS_URL).toBe('http://keycloak:8080/realms/tessera/protocol/openid-connect/certs');
      expect(env.OIDC_AUDIENCE).toBe('tessera-api');
    }
  });

  it('turns the InfluxDB 2 export on with INFLUX_URL alone (token, organisation and bucket come with the profile)', async () => {
    const config = await runCommand('docker-compose', ['-f', compose, '--profile', 'influxdb', 'config'], {
      env: { INFLUX_URL: 'http://influxdb:8086' },
    });
    expect(config.code).toBe(0);
    const { api, influxdb } = (await parseYaml(config.stdout)).services;
    const env = parseEnv(api.environment);

    expect(env).toMatchObject({ INFLUX_URL: 'http://influxdb:8086', INFLUX_BUCKET: 'tessera', INFLUX_ORG: 'tessera' });
    expect(api.environment.INFLUX_TOKEN).toBe(influxdb.environment.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN);
    expect(api.environment.INFLUX_BUCKET).toBe(influxdb.environment.DOCKER_INFLUXDB_INIT_BUCKET);
    expect(api.environment.INFLUX_ORG).toBe(influxdb.environment.DOCKER_INFLUXDB_INIT_ORG);
  });

  it('starts Keycloak with --import-realm on docker/keycloak/realm.json, issuing tokens for the URL the API expects', () => {
    const { keycloak, api } = resolved.services;

    expect(keycloak.command).toEqual(['start', '--import-realm']);
    expect(keycloak.volumes).toContain(`${join(workDir, 'docker', 'keycloak', 'realm.json')}:/opt/keycloak/data/import/tessera-realm.json:ro`);
    expect(`${keycloak.environment.KC_HOSTNAME}/realms/tessera`).toBe(api.environment.OIDC_ISSUER_URL);
    expect(keycloak.environment.TESSERA_API_CLIENT_SECRET).toBe('change-me-client-secret');
  });

  it('provisions Grafana with the Prometheus and PostgreSQL data sources and the generated dashboards', () => {
    const { grafana } = resolved.services;
    const docker = join(workDir, 'docker');

    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        `${join(docker, 'grafana', 'provisioning')}:/etc/grafana/provisioning:ro`,
        `${join(docker, 'grafana', 'dashboards')}:/var/lib/grafana/dashboards/tessera:ro`,
      ]),
    );
    expect(grafana.environment.GRAFANA_DB_PASSWORD).toBe(resolved.services.postgres.environment.GRAFANA_DB_PASSWORD);
  });

  it('reads every secret from .env: each variable the file uses is in .env.example, and no value in it is a real secret', () => {
    const used = new Set([...readRepoFile('docker/compose.yml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
    const example = new Map(
      readRepoFile('docker/.env.example')
        .split('\n')
        .filter((line) => /^[A-Z0-9_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );

    for (const name of used) expect(example.has(name), `${name} in docker/.env.example`).toBe(true);
    for (const [name, value] of example) {
      if (/PASSWORD|SECRET|TOKEN/.test(name)) expect(value, name).toMatch(/^change-me/);
    }
  });

  it('keeps docker/.env out of git', async () => {
    const result = await runCommand('git', ['check-ignore', '-q', 'docker/.env']);

    expect(result.code).toBe(0);
  });
});
