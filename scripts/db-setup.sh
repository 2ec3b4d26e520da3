#!/usr/bin/env bash
# Creates the two database roles and the development database, as the local superuser.
#   ledgerlens_owner  runs migrations and owns every table
#   ledgerlens_app    what the app connects as: owns nothing, no BYPASSRLS
# Idempotent. Local trust auth means no passwords here; production sets them.
set -euo pipefail
DB="${1:-ledgerlens}"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres)

"${PSQL[@]}" <<'SQL'
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'ledgerlens_owner') then
    create role ledgerlens_owner login nosuperuser nocreaterole nocreatedb;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'ledgerlens_app') then
    create role ledgerlens_app login nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
  end if;
exception when duplicate_object or unique_violation then null;
end
$$;
SQL

if ! "${PSQL[@]}" -tAc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
  echo "==> creating database $DB"
  "${PSQL[@]}" -c "create database \"$DB\" owner ledgerlens_owner"
fi
