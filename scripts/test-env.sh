# shellcheck shell=bash
# Source this file before running tests: it points Backstage's TestDatabases
# at the local PostgreSQL (trust auth, or password "postgres") and tells it
# never to try Docker, so store tests run on SQLite and PostgreSQL.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  for url in postgresql://postgres@127.0.0.1:5432 postgresql://postgres:postgres@127.0.0.1:5432; do
    if psql "$url/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
      export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$url"
      break
    fi
  done
fi
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "test-env: no PostgreSQL on 127.0.0.1:5432; run scripts/ensure-postgres.sh" >&2
fi
