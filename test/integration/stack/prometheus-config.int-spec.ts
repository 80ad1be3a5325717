import { describe, expect, it } from 'vitest';
import { parseYaml, readRepoFile, runCommand } from '../../support/stack-files.js';

describe('docker/prometheus/prometheus.yml', () => {
  it('passes promtool check config', async () => {
    const result = await runCommand('promtool', ['check', 'config', 'docker/prometheus/prometheus.yml']);

    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('finds every API and worker replica through Docker DNS on the metrics port the stack sets', async () => {
    const config = await parseYaml(readRepoFile('docker/prometheus/prometheus.yml'));
    const compose = await parseYaml(readRepoFile('docker/compose.yml'));
    const metricsPort = Number(compose['x-tessera-env'].METRICS_PORT);
    const job = (name: string) => config.scrape_configs.find((c: { job_name: string }) => c.job_name === name);

    expect(metricsPort).toBe(9464);
    expect(job('tessera-api').dns_sd_configs).toEqual([expect.objectContaining({ names: ['api'], type: 'A', port: metricsPort })]);
    expect(job('tessera-worker').dns_sd_configs).toEqual([expect.objectContaining({ names: ['worker'], type: 'A', port: metricsPort })]);
  });
});
