/** What the receiver answered to one POST; never a thrown error. */
export interface SendResult {
  ok: boolean;
  status: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
}

/** Outbound HTTP for webhooks: refuses forbidden targets, follows no redirect, reports every failure. */
export abstract class WebhookSender {
  abstract send(input: { url: string; body: string; headers: Record<string, string> }): Promise<SendResult>;
  /** Why the URL's host may not be called (a private address, …), or null when it may. */
  abstract refusal(url: string): Promise<string | null>;
}
