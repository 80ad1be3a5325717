import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TextField } from '../fields.decorator.js';
import { RATING_COMMENT_MAX, RATING_MAX, RATING_MIN, type Satisfaction, type TicketRating } from '../../../core/satisfaction/satisfaction.js';
import { isoTime } from '../iso-time.js';

export class RateTicketRequest {
  @ApiProperty({ type: 'integer', minimum: RATING_MIN, maximum: RATING_MAX, example: 5, description: 'A JSON integer: 3.5 or "5" are refused' })
  @IsInt()
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating!: number;

  @ApiPropertyOptional({ maxLength: RATING_COMMENT_MAX, nullable: true, type: String, example: 'Fixed within the hour, thanks!' })
  @IsOptional()
  @TextField(RATING_COMMENT_MAX, { min: 0, multiline: true })
  comment?: string | null;
}

/** A ticket's `satisfaction`: its latest rating. */
export class SatisfactionResponse {
  @ApiProperty({ type: 'integer', minimum: RATING_MIN, maximum: RATING_MAX }) rating!: number;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) ratedAt!: string;

  static from(s: Satisfaction | null | undefined): SatisfactionResponse | null {
    return s ? { rating: s.rating, comment: s.comment, ratedAt: isoTime(s.ratedAt) } : null;
  }
}

export class RatingResponse extends SatisfactionResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ format: 'date-time', description: 'The resolution this rating is for (resolvedAt, or closedAt)' })
  resolutionAt!: string;

  static fromRating(r: TicketRating): RatingResponse {
    return {
      ticketId: r.ticketId,
      rating: r.rating,
      comment: r.comment,
      ratedAt: isoTime(r.ratedAt),
      resolutionAt: isoTime(r.resolutionAt),
    };
  }
}
