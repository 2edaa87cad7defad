#!/usr/bin/env bash
# Start this machine's PostgreSQL (installing it when missing) and create the test database.
# Prints the export line for TEST_DATABASE_URL. Needs root (apt-get, pg_ctlcluster).
set -euo pipefail

DB_USER=${PG_TEST_USER:-kooperationsraum}
DB_PASSWORD=${PG_TEST_PASSWORD:-kooperationsraum}
DB_NAME=${PG_TEST_DB:-kooperationsraum_test}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "PostgreSQL fehlt: installiere mit apt-get ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" {found=1} END {exit !found}'; then
  pg_ctlcluster "$version" main start >&2
fi

for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q && break
  sleep 1
done

runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q <<SQL >&2
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}';
  END IF;
END
\$\$;
SQL
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'" | grep -q 1; then
  runuser -u postgres -- createdb -O "${DB_USER}" "${DB_NAME}" >&2
fi

echo "export TEST_DATABASE_URL=postgresql+psycopg://${DB_USER}:${DB_PASSWORD}@127.0.0.1:5432/${DB_NAME}"
