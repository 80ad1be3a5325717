import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn } from 'class-validator';
import { TextField } from '../fields.decorator.js';
import { MAX_WEBHOOK_URL_LENGTH } from '../../../core/webhooks/webhook-target.js';
import {
  SECRET_MAX,
  SECRET_MIN,
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_EVENTS,
  type DeliveryAttempt,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
} from '../../../core/webhooks/webhook.js';
import { Optional } from '../optional.decorator.js';
import { PageQuery } from '../page.query.js';
import { isoTime, isoTimeOrNull } from '../iso-time.js';

class WebhookFields {
  @ApiPropertyOptional({ maxLength: WEBHOOK_DESCRIPTION_MAX })
  @Optional()
  @TextField(WEBHOOK_DESCRIPTION_MAX, { min: 0 })
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'Inactive webhooks get no deliveries' })
  @Optional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minLength: SECRET_MIN, maxLength: SECRET_MAX, description: 'HMAC key; generated when left out on create' })
  @Optional()
  @TextField(SECRET_MAX, { min: SECRET_MIN })
  secret?: string;
}

export class CreateWebhookRequest extends WebhookFields {
  @ApiProperty({ maxLength: MAX_WEBHOOK_URL_LENGTH, example: 'https://hooks.example.com/tessera' })
  @TextField(MAX_WEBHOOK_URL_LENGTH, { min: 0 })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: WebhookEvent[];
}

export class UpdateWebhookRequest extends WebhookFields {
  @ApiPropertyOptional({ maxLength: MAX_WEBHOOK_URL_LENGTH })
  @Optional()
  @TextField(MAX_WEBHOOK_URL_LENGTH, { min: 0 })
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: WebhookEvent[];
}

export class DeliveryListQuery extends PageQuery {}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events!: string[];
  @ApiProperty() description!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ description: 'The last 4 characters of the secret' }) secretHint!: string;
  @ApiPropertyOptional({ description: 'The full secret: only in the response that created or changed it' }) secret?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(w: Webhook, revealSecret = false): WebhookResponse {
    return {
      id: w.id,
      url: w.url,
      events: w.events,
      description: w.description,
      active: w.active,
      secretHint: w.secret.slice(-4),
      ...(revealSecret ? { secret: w.secret } : {}),
      createdAt: isoTime(w.createdAt),
      updatedAt: isoTime(w.updatedAt),
    };
  }
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Also sent as Tessera-Delivery' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'The JSON body sent on every attempt' }) body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt!: string | null;

  static from(d: WebhookDelivery): DeliveryResponse {
    return {
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      body: d.body,
      createdAt: isoTime(d.createdAt),
      lastAttemptAt: isoTimeOrNull(d.lastAttemptAt),
    };
  }
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items!: DeliveryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AttemptResponse {
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Start of the receiver’s answer' }) responseBody!: string | null;

  static from(a: DeliveryAttempt): AttemptResponse {
    return {
      attempt: a.attempt,
      at: isoTime(a.at),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      ok: a.ok,
      error: a.error,
      responseBody: a.responseBody,
    };
  }
}

export class DeliveryDetailResponse extends DeliveryResponse {
  @ApiProperty({ type: [AttemptResponse] }) attemptLog!: AttemptResponse[];
}
