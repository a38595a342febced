#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The peer of tw-bench-tiles: gdal_rasterize burns the same polygons into the same 256-px
# tiles (one process a tile, as a tile server calling it would), timed tile by tile.
#
# Usage: peer-tiles.sh SOURCE.gpkg TILES [LAYER]
#   SOURCE.gpkg  the areas (tw-make-nation's nation.gpkg, layer "tracts")
#   TILES        a tile list written by `tw-bench-tiles --tiles-out DIR` (DIR/<set>.tiles:
#                "z x y minx miny maxx maxy" in EPSG:3857 metres)
#
# Setup, not timed: the source is projected once to EPSG:3857 next to itself
# (SOURCE-3857.gpkg, kept; its geometry column is "geom"), since gdal_rasterize does not
# reproject vectors.
# Prints one JSON object: count, p50_ms, p99_ms, total_s, and startup_ms, the time of one
# gdal_rasterize of an empty ocean tile (process start and opening the source).
set -euo pipefail

src=$1
tiles=$2
layer=${3:-tracts}
projected="${src%.gpkg}-3857.gpkg"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -s "$projected" ] || [ "$projected" -ot "$src" ]; then
  ogr2ogr -f GPKG -t_srs EPSG:3857 -nln "$layer" "$projected.part" "$src" "$layer"
  mv "$projected.part" "$projected"
fi

# Only the areas whose box meets the tile, through the GeoPackage's R-tree: gdal_rasterize
# alone reads every feature for every tile; we find ours through an index too.
burn() {
  gdal_rasterize -q -burn 1 -ot Byte -of GTiff -ts 256 256 -te "$1" "$2" "$3" "$4" \
    -sql "SELECT t.* FROM \"$layer\" t JOIN \"rtree_${layer}_geom\" r ON t.fid = r.id
          WHERE r.maxx >= $1 AND r.minx <= $3 AND r.maxy >= $2 AND r.miny <= $4" \
    "$projected" "$out/tile.tif"
  rm -f "$out/tile.tif"
}

now_ns() { date +%s%N; }

# Process start and opening the source: a tile of open ocean, off Point Nemo.
burn -14000000 -6000000 -13960000 -5960000
start=$(now_ns)
burn -14000000 -6000000 -13960000 -5960000
startup_ns=$(( $(now_ns) - start ))

times=()
total_start=$(now_ns)
while read -r z x y minx miny maxx maxy; do
  [ -n "$z" ] || continue
  start=$(now_ns)
  burn "$minx" "$miny" "$maxx" "$maxy"
  times+=( $(( $(now_ns) - start )) )
done < "$tiles"
total_ns=$(( $(now_ns) - total_start ))

printf '%s\n' "${times[@]}" | sort -n | awk -v total="$total_ns" -v startup="$startup_ns" '
  { t[NR] = $1 / 1e6 }
  function pct(p,   h, lo) {
    h = (NR - 1) * p; lo = int(h) + 1
    return lo >= NR ? t[NR] : t[lo] + (h - int(h)) * (t[lo + 1] - t[lo])
  }
  END {
    printf "{\"count\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, " \
           "\"total_s\": %.4f, \"startup_ms\": %.3f}\n",
           NR, pct(0.5), pct(0.99), t[NR], total / 1e9, startup / 1e6
  }'
