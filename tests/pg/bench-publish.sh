#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-publish.sh setup|uri|reset|peer|stop DIR [OUTCOMES.csv]: the publish benchmark's
# throw-away server (Unix socket in DIR, no TCP), for build-aux/run-benchmarks.
#   setup: starts the server with PostGIS (not timed);
#   uri:   prints the workspace URI tractwise-cli publish writes to;
#   reset: empties the workspace and the peer's table (not timed);
#   peer:  psql \copy of the outcome CSV into a table with the same key as ours (timed);
#   stop:  stops the server.
set -euo pipefail
cmd="$1" dir="$2"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg () { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_ () { psql -X -h "$dir" -U tw_admin -d bench -q -v ON_ERROR_STOP=1 -At "$@"; }
case "$cmd" in
  setup)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/db" -A trust -U tw_admin --no-sync >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/db" -o "-k $dir -c listen_addresses='' -c max_wal_size=4GB" \
      -l "$dir/log" -w start >/dev/null
    psql -X -h "$dir" -U tw_admin -d postgres -q -c "CREATE DATABASE bench"
    psql_ -c "CREATE EXTENSION postgis"
    ;;
  uri)
    echo "postgresql:///bench?host=$dir&user=tw_admin&workspace=nation"
    ;;
  reset)
    psql_ -c "SET client_min_messages = warning" \
      -c "DROP SCHEMA IF EXISTS tractwise_nation CASCADE" -c "DROP TABLE IF EXISTS outcomes" \
      -c "CHECKPOINT"
    ;;
  peer)
    psql_ -c "CREATE TABLE outcomes (geoid text, measure text, period text, stratum text,
                                     numerator double precision, denominator double precision,
                                     PRIMARY KEY (measure, period, stratum, geoid))"
    psql_ -c "\\copy outcomes FROM '$3' WITH (FORMAT csv, HEADER true)"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/db" -m fast stop >/dev/null || true
    ;;
esac
