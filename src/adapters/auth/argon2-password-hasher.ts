import { hash, verify } from '@node-rs/argon2';
import { PasswordHasher } from '../../core/identity/password-hasher.port.js';

/** argon2id with the library defaults (19 MiB, 2 passes, 1 lane), which match OWASP's minimum. */
export class Argon2PasswordHasher extends PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // not an argon2 hash: treat like a wrong password
    }
  }
}
