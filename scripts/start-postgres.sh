#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 and make sure the test role exists (idempotent; needs root).
set -euo pipefail
PGUSER_NAME=${PGUSER_NAME:-shinchoku}
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15
fi
if ! pg_lsclusters -h | grep -q '^15 *main'; then
  pg_createcluster 15 main
fi
pg_lsclusters -h | awk '$1=="15" && $2=="main" {print $4}' | grep -q online || pg_ctlcluster 15 main start
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1 postgres" <<SQL >/dev/null
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PGUSER_NAME}') THEN
    CREATE ROLE ${PGUSER_NAME} LOGIN PASSWORD '${PGUSER_NAME}' CREATEDB;
  END IF;
END
\$\$;
SQL
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='${PGUSER_NAME}'\"" | grep -q 1 \
  || su postgres -c "createdb -O ${PGUSER_NAME} ${PGUSER_NAME}"
echo "PostgreSQL 15 is running on 127.0.0.1:5432 (role ${PGUSER_NAME})"
