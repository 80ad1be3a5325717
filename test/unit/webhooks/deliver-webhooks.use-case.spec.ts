import { describe, expect, it } from 'vitest';
import { DeliveryAttemptFailedError } from '../../../src/core/webhooks/webhook.errors.js';
import { DispatchWebhooks, SendWebhookDelivery } from '../../../src/core/webhooks/deliver-webhooks.use-case.js';
import { ManageWebhooks } from '../../../src/core/webhooks/manage-webhooks.use-case.js';
import { WebhookSender, type SendResult } from '../../../src/core/webhooks/webhook-sender.port.js';
import { verifySignature } from '../../../src/core/webhooks/webhook-signature.js';
import { ticketWorld } from '../tickets/ticket-world.js';

/** Records what would have been POSTed and answers the queued results (then 200). */
class RecordingSender extends WebhookSender {
  readonly sent: { url: string; body: string; headers: Record<string, string> }[] = [];
  readonly answers: Partial<SendResult>[] = [];
  refused: string | null = null;

  async send(input: { url: string; body: string; headers: Record<string, string> }): Promise<SendResult> {
    this.sent.push(input);
    return { ok: true, status: 200, durationMs: 3, responseBody: 'ok', error: null, ...this.answers.shift() };
  }

  async refusal(): Promise<string | null> {
    return this.refused;
  }
}

function webhookWorld() {
  const w = ticketWorld();
  const sender = new RecordingSender();
  const manage = new ManageWebhooks(w.uow, w.db.autocommit.webhooks, sender, w.clock);
  const dispatch = new DispatchWebhooks(w.uow, w.clock);
  const send = new SendWebhookDelivery(w.uow, w.db.autocommit.webhooks, sender, w.clock);
  const event = (type = 'ticket.created') => ({
    id: crypto.randomUUID(),
    type,
    aggregateId: crypto.randomUUID(),
    occurredAt: w.clock.now(),
    payload: { ticket: { id: 't-1' } },
  });
  /** Sends every delivery_requested event in the outbox not yet sent by this helper. */
  const done = new Set<string>();
  const sendRequested = async () => {
    for (const e of w.db.outbox().filter((o) => o.type === 'webhook.delivery_requested' && !done.has(o.id))) {
      done.add(e.id);
      await send.execute(e).catch((error: unknown) => error);
    }
  };
  return { ...w, sender, manage, dispatch, send, event, sendRequested };
}

describe('webhook delivery', () => {
  it('fans an event out to active subscribed webhooks only, once per event', async () => {
    const w = webhookWorld();
    const a = await w.manage.create(w.admin, { url: 'https://a.example.com/h', events: ['ticket.created'] });
    await w.manage.create(w.admin, { url: 'https://b.example.com/h', events: ['ticket.assigned'] });
    const off = await w.manage.create(w.admin, { url: 'https://c.example.com/h', events: ['ticket.created'] });
    await w.manage.update(w.admin, off.id, { active: false });
    const e = w.event();
    const first = await w.dispatch.execute(e);
    expect(first.map((d) => d.webhookId)).toEqual([a.id]);
    expect(await w.dispatch.execute(e)).toEqual([]);
    expect(w.db.outbox().filter((o) => o.type === 'webhook.delivery_requested')).toHaveLength(1);
  });

  it('signs the stored body with the secret; the receiver can verify it', async () => {
    const w = webhookWorld();
    const hook = await w.manage.create(w.admin, { url: 'https://a.example.com/h', events: ['ticket.created'], secret: 'a-secret-of-enough-length' });
    await w.dispatch.execute(w.event());
    await w.sendRequested();
    const [sent] = w.sender.sent;
    expect(sent!.url).toBe(hook.url);
    expect(verifySignature('a-secret-of-enough-length', sent!.body, sent!.headers['Tessera-Signature']!, w.clock.now())).toBe(true);
    expect(JSON.parse(sent!.body)).toMatchObject({ type: 'ticket.created', data: { ticket: { id: 't-1' } } });
  });

  it('a failed attempt is recorded and thrown (so the queue retries); success is not sent twice unless replayed', async () => {
    const w = webhookWorld();
    const hook = await w.manage.create(w.admin, { url: 'https://a.example.com/h', events: ['ticket.created'] });
    const [delivery] = await w.dispatch.execute(w.event());
    const job = { payload: { deliveryId: delivery!.id } };
    w.sender.answers.push({ ok: false, status: 502, error: 'HTTP 502' });
    await expect(w.send.execute(job)).rejects.toBeInstanceOf(DeliveryAttemptFailedError);
    expect(await w.send.execute(job)).toBe('sent');
    expect(await w.send.execute(job)).toBe('skipped');
    const { delivery: after, attempts } = await w.manage.delivery(w.admin, hook.id, delivery!.id);
    expect(after).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.ok])).toEqual([
      [1, 502, false],
      [2, 200, true],
    ]);
    await w.manage.replay(w.admin, hook.id, delivery!.id);
    const replay = w.db.outbox().find((o) => o.type === 'webhook.delivery_requested' && o.payload['replay'] === true)!;
    expect(await w.send.execute(replay)).toBe('sent');
    expect(w.sender.sent).toHaveLength(3);
  });

  it('refuses a forbidden target at creation, and only admins manage webhooks', async () => {
    const w = webhookWorld();
    w.sender.refused = 'private address';
    await expect(w.manage.create(w.admin, { url: 'https://10.0.0.1/h', events: ['ticket.created'] })).rejects.toMatchObject({
      code: 'WEBHOOK_TARGET_REFUSED',
    });
    await expect(w.manage.list(w.agent)).rejects.toMatchObject({ code: 'WEBHOOKS_ADMIN_ONLY' });
  });
});
