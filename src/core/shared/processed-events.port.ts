/**
 * Which background consumer already handled which event. Claimed in the same transaction as the consumer's
 * effect, so a retried or duplicated job finds the claim and does nothing the second time.
 */
export abstract class ProcessedEvents {
  /** True the first time `consumer` claims `eventId`; false when a committed (or concurrent) claim exists. */
  abstract claim(consumer: string, eventId: string, at: Date): Promise<boolean>;
}
