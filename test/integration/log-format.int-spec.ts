import { beforeAll, describe, expect, it } from 'vitest';
import { resolveLogFormat } from '../../src/infra/logging.js';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { buildIfNeeded, WorkerProcess } from '../support/worker-process.js';

/** Starts `npm start`'s process on a scratch database, makes one logged request, stops it; returns its stdout lines. */
async function linesOfARun(env: Record<string, string>): Promise<string[]> {
  const scratch = await createScratchDatabase();
  const port = await freePort();
  const service = await WorkerProcess.start(
    {
      DATABASE_URL: scratch.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `${testRedisPrefix()}-logs-${port}`,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    { role: 'all', ready: 'listening on' },
  );
  try {
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/tickets`)).status).toBe(401);
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    return service.output;
  } finally {
    await service.stop();
    await scratch.drop();
  }
}

describe('log format', () => {
  beforeAll(() => buildIfNeeded(), 240_000);

  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(resolveLogFormat(undefined, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('writes one JSON object per line when stdout is not a terminal', { timeout: 90_000 }, async () => {
    const lines = await linesOfARun({});

    const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string; context?: string; req?: { method: string; url: string } });
    expect(entries).toContainEqual(expect.objectContaining({ level: 30, context: 'Tessera', msg: expect.stringMatching(/^listening on http:\/\/127\.0\.0\.1:\d+/) }));
    expect(entries).toContainEqual(expect.objectContaining({ context: 'NestApplication', msg: 'Nest application successfully started' }));
    // The request line of pino-http, with the credentials redacted by the same logger.
    expect(entries).toContainEqual(expect.objectContaining({ req: expect.objectContaining({ method: 'GET', url: '/api/v1/tickets' }) }));
  });

  it('writes readable lines with LOG_FORMAT=pretty, through pino-pretty', { timeout: 90_000 }, async () => {
    const lines = await linesOfARun({ LOG_FORMAT: 'pretty' });

    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Tessera\] listening on http:\/\/127\.0\.0\.1:\d+/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[NestApplication\] Nest application successfully started$/));
    // No colour codes: stdout is a pipe here.
    expect(lines.filter((line) => line.includes('\u001b['))).toEqual([]);
  });
});
