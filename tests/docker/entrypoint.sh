#!/bin/bash
# Entrypoint of the test image: honours POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB as the official
# postgres image does (Testcontainers sets them), then runs postgres with the arguments given
# (e.g. "-c fsync=off"; a leading "postgres" is dropped).
set -euo pipefail
user=${POSTGRES_USER:-postgres}
password=${POSTGRES_PASSWORD:-}
db=${POSTGRES_DB:-$user}
quote_ident() { printf '"%s"' "${1//\"/\"\"}"; }
quote_literal() { printf "'%s'" "${1//\'/\'\'}"; }
sql=()
[ "$user" = postgres ] || sql+=("CREATE ROLE $(quote_ident "$user") SUPERUSER LOGIN")
if [ -n "$password" ]; then
    sql+=("ALTER ROLE $(quote_ident "$user") PASSWORD $(quote_literal "$password")")
else
    # No password: trust over TCP too (POSTGRES_HOST_AUTH_METHOD=trust of the official image).
    sed -i 's/scram-sha-256$/trust/' "$PGDATA/pg_hba.conf"
fi
[ "$db" = postgres ] || sql+=("CREATE DATABASE $(quote_ident "$db") OWNER $(quote_ident "$user")")
if [ ${#sql[@]} -gt 0 ] && [ ! -e "$PGDATA/gridmap-initialized" ]; then
    # Single-user mode: one statement per line, no server start and stop.
    printf '%s\n' "${sql[@]}" | postgres --single -D "$PGDATA" postgres > /dev/null
    touch "$PGDATA/gridmap-initialized"
fi
[ "${1:-}" = postgres ] && shift
exec postgres -D "$PGDATA" "$@"
