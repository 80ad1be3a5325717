import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, categories, tickets with search and keyset indexes, comments, activity, outbox, idempotency. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    // unaccent() is STABLE; an IMMUTABLE wrapper with a fixed dictionary lets a generated column use it.
    await db.query(`
      CREATE OR REPLACE FUNCTION tessera_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);

    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        external_id text UNIQUE,
        email text,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','agent','requester')),
        active boolean NOT NULL DEFAULT true,
        password_hash text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX users_local_email_uq ON users (lower(email)) WHERE external_id IS NULL`);
    await db.query(`CREATE INDEX users_name_idx ON users (name, id)`);

    await db.query(`
      CREATE TABLE signing_keys (
        id text PRIMARY KEY,
        private_key_pem text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE categories (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        parent_id uuid REFERENCES categories(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE UNIQUE INDEX categories_name_uq
      ON categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);

    await db.query(`CREATE SEQUENCE ticket_number_seq START WITH 1000`);
    await db.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        number bigint NOT NULL UNIQUE DEFAULT nextval('ticket_number_seq'),
        title text NOT NULL,
        description text NOT NULL,
        status text NOT NULL,
        priority text NOT NULL,
        priority_rank smallint GENERATED ALWAYS AS (
          CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END) STORED,
        priority_override_by uuid REFERENCES users(id),
        priority_override_at timestamptz,
        severity text NOT NULL,
        urgency text NOT NULL,
        category_id uuid REFERENCES categories(id),
        subcategory_id uuid REFERENCES categories(id),
        requester_id uuid NOT NULL REFERENCES users(id),
        assignee_id uuid REFERENCES users(id),
        group_id uuid,
        tags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        resolved_at timestamptz,
        closed_at timestamptz,
        deleted_at timestamptz,
        deleted_by uuid REFERENCES users(id),
        version integer NOT NULL,
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('simple', tessera_unaccent(title || ' ' || description))) STORED
      )`);
    await db.query(`ALTER SEQUENCE ticket_number_seq OWNED BY tickets.number`);
    // Keyset indexes: every sort is (key, id) in one direction, live tickets only.
    const live = 'WHERE deleted_at IS NULL';
    await db.query(`CREATE INDEX tickets_created_idx ON tickets (created_at, id) ${live}`);
    await db.query(`CREATE INDEX tickets_updated_idx ON tickets (updated_at, id) ${live}`);
    await db.query(`CREATE INDEX tickets_priority_idx ON tickets (priority_rank, id) ${live}`);
    await db.query(`CREATE INDEX tickets_status_created_idx ON tickets (status, created_at, id) ${live}`);
    await db.query(`CREATE INDEX tickets_requester_created_idx ON tickets (requester_id, created_at, id) ${live}`);
    await db.query(`CREATE INDEX tickets_assignee_created_idx ON tickets (assignee_id, created_at, id) ${live}`);
    await db.query(`CREATE INDEX tickets_category_idx ON tickets (category_id) ${live}`);
    await db.query(`CREATE INDEX tickets_subcategory_idx ON tickets (subcategory_id) ${live}`);
    await db.query(`CREATE INDEX tickets_tags_idx ON tickets USING gin (tags) ${live}`);
    await db.query(`CREATE INDEX tickets_search_idx ON tickets USING gin (search) ${live}`);

    await db.query(`
      CREATE TABLE ticket_comments (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        author_id uuid NOT NULL REFERENCES users(id),
        body text NOT NULL,
        internal boolean NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, created_at, id)`);

    await db.query(`
      CREATE TABLE ticket_activity (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        actor_id uuid REFERENCES users(id),
        type text NOT NULL,
        field text,
        old_value jsonb,
        new_value jsonb,
        internal boolean NOT NULL DEFAULT false,
        occurred_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX ticket_activity_ticket_idx ON ticket_activity (ticket_id, occurred_at, id)`);

    await db.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        aggregate_id uuid NOT NULL,
        actor_id uuid,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_pending_idx ON outbox (occurred_at, id) WHERE sent_at IS NULL`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        actor_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        ticket_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (actor_id, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'outbox',
      'ticket_activity',
      'ticket_comments',
      'tickets',
      'categories',
      'signing_keys',
      'users',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP FUNCTION IF EXISTS tessera_unaccent(text)`);
  }
}
