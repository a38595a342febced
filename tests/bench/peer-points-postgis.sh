#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# peer-points-postgis.sh setup|run|stop DIR [TRACTS.gpkg] [EVENTS.csv]: the import-points
# benchmark's PostGIS peer on a throw-away server (Unix socket in DIR).
#   setup: starts the server and loads the tracts with a GiST index (not timed);
#   run:   loads the events (COPY), joins them with ST_Contains and counts them by tract,
#          group and year into a table (timed, as tractwise-cli import-points reads, locates
#          and stores); prints the number assigned;
#   stop:  stops the server.
set -euo pipefail
cmd="$1" dir="$2"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg () { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_ () { as_pg "$bin/psql" -h "$dir" -d bench -q -v ON_ERROR_STOP=1 -At "$@"; }
case "$cmd" in
  setup)
    mkdir -p "$dir"; chmod 777 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/db" -A trust >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/db" -o "-k $dir -c listen_addresses='' -c max_wal_size=4GB" \
      -l "$dir/log" -w start >/dev/null
    as_pg "$bin/createdb" -h "$dir" bench
    psql_ -c "CREATE EXTENSION postgis"
    as_pg ogr2ogr -f PostgreSQL "PG:host=$dir dbname=bench" "$3" -nln tracts -t_srs EPSG:4326 \
      -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
    psql_ -c "ANALYZE tracts"
    ;;
  run)
    # The events reach the server through psql's standard input: the server's user need not
    # read the file.
    psql_ -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS events, counts" \
      -c "CREATE UNLOGGED TABLE events (patient_id text, lat double precision,
                                        lon double precision, race text, visit_date text)"
    psql_ -c "COPY events FROM STDIN WITH (FORMAT csv, HEADER true)" < "$4"
    psql_ <<SQL
CREATE TABLE counts AS
  SELECT t.geoid, e.race, left (e.visit_date, 4) AS year, count(*) AS n
  FROM events e JOIN tracts t ON ST_Contains (t.geom, ST_SetSRID (ST_MakePoint (e.lon, e.lat), 4326))
  GROUP BY 1, 2, 3;
SELECT sum(n) FROM counts;
SQL
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/db" -m fast stop >/dev/null || true
    ;;
esac
