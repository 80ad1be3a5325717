/**
 * Failed password sign-ins per account (the normalised email, whether or not an account has it), shared by every
 * replica. After `max` failures within the window the account's password sign-in is locked until the window ends.
 */
export abstract class LoginAttempts {
  /** Seconds the account's password sign-in stays locked; 0 when it is not locked. */
  abstract lockedFor(account: string): Promise<number>;
  /** Counts one failed sign-in. */
  abstract recordFailure(account: string): Promise<void>;
  /** A successful sign-in starts the count again. */
  abstract clear(account: string): Promise<void>;
}
