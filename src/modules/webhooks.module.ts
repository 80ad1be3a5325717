import { Module } from '@nestjs/common';
import { WebhooksController } from '../adapters/http/webhooks/webhooks.controller.js';
import { AddressPolicy } from '../adapters/webhooks/address-policy.js';
import { GuardedWebhookSender } from '../adapters/webhooks/guarded-webhook-sender.js';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { ManageWebhooks } from '../core/webhooks/manage-webhooks.use-case.js';
import { WebhookRepository } from '../core/webhooks/webhook-repository.port.js';
import { WebhookSender } from '../core/webhooks/webhook-sender.port.js';
import { useCase } from './use-case.provider.js';

export const webhookSenderProvider = {
  provide: WebhookSender,
  useFactory: (c: AppConfig) =>
    new GuardedWebhookSender(new AddressPolicy(c.env.WEBHOOK_ALLOW_PRIVATE_TARGETS), c.env.WEBHOOK_TIMEOUT_MS),
  inject: [AppConfig],
};

@Module({
  controllers: [WebhooksController],
  providers: [webhookSenderProvider, useCase(ManageWebhooks, [UnitOfWork, WebhookRepository, WebhookSender, Clock])],
})
export class WebhooksModule {}
