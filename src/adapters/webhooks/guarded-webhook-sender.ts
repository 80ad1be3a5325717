import { validateWebhookUrl } from '../../core/webhooks/webhook-target.js';
import { WebhookSender, type SendResult } from '../../core/webhooks/webhook-sender.port.js';
import { AddressPolicy, WebhookTargetRefusedError } from './address-policy.js';
import { HttpWebhookSender } from './http-webhook-sender.js';

/** The core's WebhookSender port over the SSRF-checking HTTP sender. */
export class GuardedWebhookSender extends WebhookSender {
  private readonly http: HttpWebhookSender;

  constructor(
    private readonly policy: AddressPolicy,
    timeoutMs: number,
  ) {
    super();
    this.http = new HttpWebhookSender(policy, { timeoutMs });
  }

  send(input: { url: string; body: string; headers: Record<string, string> }): Promise<SendResult> {
    return this.http.send(input);
  }

  async refusal(url: string): Promise<string | null> {
    try {
      await this.policy.resolveAllowed(validateWebhookUrl(url).hostname);
      return null;
    } catch (error) {
      if (error instanceof WebhookTargetRefusedError) return error.reason;
      return 'the host name does not resolve';
    }
  }
}
