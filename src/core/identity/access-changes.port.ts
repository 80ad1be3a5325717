/**
 * Announces that a user's role or active flag changed, to every API instance: each closes that user's open live
 * streams (they were opened with the old rights) and forgets its cached view of the user.
 */
export abstract class AccessChanges {
  abstract announce(userId: string): Promise<void>;
}
