import { Point } from '@influxdata/influxdb-client';
import type { ExportPoint } from '../../core/metrics/ticket-event-export.js';

/** Where and how points are written: InfluxDB 1.x (`/write?db=`) or 2.x (`/api/v2/write?org&bucket`). */
export type InfluxTarget =
  | { version: 1; url: string; database: string; username?: string; password?: string }
  | { version: 2; url: string; org: string; bucket: string; token: string };

export class InfluxWriteError extends Error {
  constructor(
    message: string,
    /** A 4xx other than 429: the points themselves were refused, and sending them again will not help. */
    readonly rejected = false,
  ) {
    super(message);
  }
}

/**
 * Line protocol with @influxdata/influxdb-client's Point (its escaping of measurement, tags and fields), one line per
 * point, in nanosecond precision.
 */
export function toLineProtocol(points: readonly ExportPoint[]): string {
  const lines: string[] = [];
  for (const p of points) {
    const point = new Point(p.measurement);
    for (const [name, value] of Object.entries(p.tags)) point.tag(name, value);
    for (const [name, value] of Object.entries(p.fields)) {
      if (typeof value === 'string') point.stringField(name, value);
      else if (typeof value === 'boolean') point.booleanField(name, value);
      else point.floatField(name, value);
    }
    point.timestamp(p.timestampNs);
    const line = point.toLineProtocol();
    if (line) lines.push(line);
  }
  return lines.join('\n');
}

/**
 * Writes points with one HTTP request (fetch; the client library's own writer keeps its own retry buffer in memory,
 * while here the queue is the buffer). Throws InfluxWriteError when InfluxDB is unreachable, slow or refuses.
 */
export class InfluxWriter {
  private readonly endpoint: string;
  private readonly headers: Record<string, string>;

  constructor(
    target: InfluxTarget,
    private readonly timeoutMs: number,
  ) {
    const base = target.url.replace(/\/+$/, '');
    this.headers = { 'content-type': 'text/plain; charset=utf-8' };
    if (target.version === 1) {
      this.endpoint = `${base}/write?${new URLSearchParams({ db: target.database, precision: 'ns' })}`;
      if (target.username) {
        const basic = Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64');
        this.headers['authorization'] = `Basic ${basic}`;
      }
    } else {
      this.endpoint = `${base}/api/v2/write?${new URLSearchParams({ org: target.org, bucket: target.bucket, precision: 'ns' })}`;
      this.headers['authorization'] = `Token ${target.token}`;
    }
  }

  async write(points: readonly ExportPoint[]): Promise<void> {
    const body = toLineProtocol(points);
    if (!body) return;
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new InfluxWriteError(`InfluxDB unreachable (${cause})`);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const text = (await response.text().catch(() => '')).slice(0, 300);
    const rejected = response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 401 && response.status !== 403 && response.status !== 404;
    throw new InfluxWriteError(`InfluxDB answered ${response.status}: ${text}`, rejected);
  }
}
