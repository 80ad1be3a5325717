#!/bin/sh
# Runs once, when the PostgreSQL volume is created (docker-entrypoint-initdb.d): a database for Keycloak, and the
# login role Grafana reads with. Its read rights on a few columns are granted by the `grafana-grants` service once
# the API has created the tables.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v reader_password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE DATABASE keycloak;
CREATE ROLE grafana_reader LOGIN PASSWORD :'reader_password';
GRANT CONNECT ON DATABASE tessera TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
SQL
