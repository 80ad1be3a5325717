-- What Grafana's PostgreSQL panels may read (docker/grafana/build-dashboards.mjs): ticket state, timestamps and
-- assignee, and agents' names. Nothing else (no text, e-mail addresses, webhook secrets or keys).
GRANT SELECT (id, status, priority, assignee_id, created_at, resolved_at, deleted_at) ON tickets TO grafana_reader;
GRANT SELECT (id, name) ON users TO grafana_reader;
