#!/bin/sh
# Creates (or upgrades) Temporal's persistence and visibility schemas in PostgreSQL.
set -eu
SCHEMA=/etc/temporal/schema/postgresql/v12
for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  temporal-sql-tool --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" \
    --pw "$SQL_PASSWORD" --db "$db" create-database || true
  temporal-sql-tool --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" \
    --pw "$SQL_PASSWORD" --db "$db" setup-schema -v 0.0 || true
  temporal-sql-tool --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" \
    --pw "$SQL_PASSWORD" --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
