import type { DataSource, EntityManager } from 'typeorm';
import { InvalidInputError } from '../../core/shared/domain-error.js';
import type { Page } from '../../core/shared/paging.js';
import type { DeliveryAttempt, DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent } from '../../core/webhooks/webhook.js';
import { WebhookRepository } from '../../core/webhooks/webhook-repository.port.js';
import { decodeCursor, encodeCursor, endsWithId } from './keyset-cursor.js';

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEvent[];
  secret: string;
  description: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}
interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: Date;
  last_attempt_at: Date | null;
}
interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  duration_ms: number;
  status_code: number | null;
  ok: boolean;
  error: string | null;
  response_body: string | null;
}

const HOOK = 'id, url, events, secret, description, active, created_at, updated_at';
const DELIVERY = 'id, webhook_id, event_id, event_type, body, status, attempts, created_at, last_attempt_at';
const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events,
  secret: r.secret,
  description: r.description,
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  eventType: r.event_type,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  createdAt: r.created_at,
  lastAttemptAt: r.last_attempt_at,
});

export class SqlWebhookRepository extends WebhookRepository {
  constructor(private readonly db: DataSource | EntityManager) {
    super();
  }

  async findById(id: string): Promise<Webhook | null> {
    const rows: WebhookRow[] = await this.db.query(`SELECT ${HOOK} FROM webhooks WHERE id = $1`, [id]);
    return rows[0] ? toWebhook(rows[0]) : null;
  }

  async list(): Promise<Webhook[]> {
    const rows: WebhookRow[] = await this.db.query(`SELECT ${HOOK} FROM webhooks ORDER BY created_at, id`);
    return rows.map(toWebhook);
  }

  async insert(w: Webhook): Promise<void> {
    await this.db.query(`INSERT INTO webhooks (${HOOK}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      w.id, w.url, w.events, w.secret, w.description, w.active, w.createdAt, w.updatedAt,
    ]);
  }

  async save(w: Webhook): Promise<void> {
    await this.db.query(
      `UPDATE webhooks SET url = $2, events = $3, secret = $4, description = $5, active = $6, updated_at = $7 WHERE id = $1`,
      [w.id, w.url, w.events, w.secret, w.description, w.active, w.updatedAt],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
  }

  async subscribedTo(eventType: string): Promise<Webhook[]> {
    const rows: WebhookRow[] = await this.db.query(
      `SELECT ${HOOK} FROM webhooks WHERE active AND $1 = ANY(events) ORDER BY created_at, id`,
      [eventType],
    );
    return rows.map(toWebhook);
  }

  async insertDelivery(d: WebhookDelivery): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO webhook_deliveries (${DELIVERY}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING id`,
      [d.id, d.webhookId, d.eventId, d.eventType, d.body, d.status, d.attempts, d.createdAt, d.lastAttemptAt],
    );
    return rows.length === 1;
  }

  async findDelivery(id: string): Promise<WebhookDelivery | null> {
    const rows: DeliveryRow[] = await this.db.query(`SELECT ${DELIVERY} FROM webhook_deliveries WHERE id = $1`, [id]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async deliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
    const params: unknown[] = [webhookId];
    let after = '';
    if (cursor) {
      const values = decodeCursor(cursor, 2);
      if (!values || typeof values[0] !== 'string' || Number.isNaN(Date.parse(values[0])) || !endsWithId(values)) {
        throw new InvalidInputError('cursor', 'is not a cursor this API issued');
      }
      params.push(values[0], values[1]);
      after = `AND (created_at, id) < ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit + 1);
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT ${DELIVERY} FROM webhook_deliveries WHERE webhook_id = $1 ${after}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toDelivery);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows: AttemptRow[] = await this.db.query(
      `SELECT delivery_id, attempt, at, duration_ms, status_code, ok, error, response_body
       FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      attempt: r.attempt,
      at: r.at,
      durationMs: r.duration_ms,
      statusCode: r.status_code,
      ok: r.ok,
      error: r.error,
      responseBody: r.response_body,
    }));
  }

  /** One statement: the UPDATE locks the delivery row, so concurrent attempts get consecutive numbers. */
  async recordAttempt(a: DeliveryAttempt, status: DeliveryStatus): Promise<void> {
    await this.db.query(
      `WITH d AS (
         UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, last_attempt_at = $3 WHERE id = $1 RETURNING id, attempts)
       INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, duration_ms, status_code, ok, error, response_body)
       SELECT d.id, d.attempts, $3, $4, $5, $6, $7, $8 FROM d`,
      [a.deliveryId, status, a.at, a.durationMs, a.statusCode, a.ok, a.error, a.responseBody],
    );
  }
}
