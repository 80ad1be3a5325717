import { checkText } from '../shared/text.js';

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
  return checkText('body', body, { max: COMMENT_MAX, multiline: true });
}
