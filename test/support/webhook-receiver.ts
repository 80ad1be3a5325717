import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 that records every request. While `holding`, it answers nothing (the sender's
 * job stays in flight) until release(); otherwise it answers at once: the statuses pushed on `nextStatuses` in
 * turn, then 200.
 */
export async function startWebhookReceiver() {
  const received: ReceivedRequest[] = [];
  const nextStatuses: number[] = [];
  const held: ServerResponse[] = [];
  const state = { holding: false };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (state.holding) return held.push(res);
      res.statusCode = nextStatuses.shift() ?? 200;
      res.end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    nextStatuses,
    /** The bodies received so far, parsed. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    payloads: (): { type: string; data: Record<string, any> }[] => received.map((r) => JSON.parse(r.body)),
    hold: () => (state.holding = true),
    /** Answers the held requests 200 (those whose sender is gone just close) and stops holding. */
    release: () => {
      state.holding = false;
      for (const res of held.splice(0)) if (!res.destroyed) res.end('thanks');
    },
    close: () =>
      new Promise<void>((resolve) => {
        state.holding = false;
        for (const res of held.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
