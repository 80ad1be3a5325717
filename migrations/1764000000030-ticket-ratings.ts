import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Satisfaction ratings: one per resolution of a ticket, identified by the resolution's instant (the ticket's
 * resolved_at, or closed_at for a ticket closed without a resolution). The ticket shows its latest rating.
 */
export class TicketRatings1764000000030 implements MigrationInterface {
  name = 'TicketRatings1764000000030';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ticket_ratings (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        resolution_at timestamptz NOT NULL,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text CHECK (char_length(comment) <= 2000),
        requester_id uuid NOT NULL REFERENCES users(id),
        assignee_id uuid REFERENCES users(id),
        rated_at timestamptz NOT NULL,
        CONSTRAINT ticket_ratings_resolution_uq UNIQUE (ticket_id, resolution_at)
      )`);
    await db.query(`CREATE INDEX ticket_ratings_latest_idx ON ticket_ratings (ticket_id, rated_at DESC, id DESC)`);
    await db.query(`CREATE INDEX ticket_ratings_rated_at_idx ON ticket_ratings (rated_at)`);
    await db.query(`CREATE INDEX ticket_ratings_assignee_idx ON ticket_ratings (assignee_id, rated_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ticket_ratings`);
  }
}
