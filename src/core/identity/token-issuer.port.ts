import type { User } from './user.js';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Signs access tokens for embedded-mode accounts with the service's own key. */
export abstract class TokenIssuer {
  abstract issue(user: User): Promise<IssuedToken>;
}
