import { InvalidInputError } from '../shared/domain-error.js';

export interface Comment {
  id: string;
  ticketId: string;
  authorId: string;
  body: string;
  /** Internal notes are for staff only; requesters never see them. */
  internal: boolean;
  createdAt: Date;
}

export const COMMENT_MAX = 20_000;

export function checkCommentBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.length < 1 || trimmed.length > COMMENT_MAX) {
    throw new InvalidInputError('body', `must be 1–${COMMENT_MAX} characters`);
  }
  return trimmed;
}
