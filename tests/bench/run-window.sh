#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/bench/run-window.sh BUILD DATA [RUNS] — the map window's waits (issues 4 and 7).
#
# BUILD is a build folder configured with the GUI (-Dgui=true, the default), DATA a folder
# holding nation.gpkg and outcomes.csv from tw-make-nation. Makes DATA/window.tractwise from
# them when it is missing (import-areas, import-outcomes; not timed), then runs
# tw-bench-window on it RUNS times (default 3) under xvfb-run, one JSON line a run:
#   {"areas", "open_ms", "open_frames_ms", "frames", "max_frame_gap_ms", "p95_frame_gap_ms",
#    "max_frame_cpu_ms", "peak_rss_mb", "renderer", "tile_threads"}
# open_ms: from opening the file to the last tile in view drawn (target ≤ 1 s for 3,000 areas,
# ≤ 3 s for 85,528); max_frame_gap_ms: the longest gap between frames while the view is panned
# and zoomed a step a frame (target ≤ 50 ms); max_frame_cpu_ms: the main thread's own CPU time
# in that gap, which other programs on the machine do not inflate; peak_rss_mb ≤ 1536.
#
# GTK draws with cairo here unless GSK_RENDERER says otherwise: under Xvfb "gl" is Mesa's
# software rasterizer, which takes 50-100 ms a frame by itself, whatever the window shows.
set -euo pipefail

BUILD=$(cd "${1:?usage: run-window.sh BUILD DATA [RUNS]}" && pwd)
DATA=$(cd "${2:?usage: run-window.sh BUILD DATA [RUNS]}" && pwd)
RUNS=${3:-3}
CLI="$BUILD/app/tractwise-cli"
BENCH="$BUILD/tests/bench/tw-bench-window"
PROJECT="$DATA/window.tractwise"

[ -x "$BENCH" ] || { echo "run-window.sh: $BENCH is not built (a GUI build is needed)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "run-window.sh: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }

if [ ! -s "$PROJECT" ]; then
  echo "run-window.sh: making $PROJECT (not timed)" >&2
  rm -f "$PROJECT.part"
  "$CLI" new "$PROJECT.part" >/dev/null
  "$CLI" import-areas "$PROJECT.part" "$DATA/nation.gpkg" >/dev/null
  "$CLI" import-outcomes "$PROJECT.part" "$DATA/outcomes.csv" >/dev/null
  mv "$PROJECT.part" "$PROJECT"
fi

for _ in $(seq "$RUNS"); do
  GSK_RENDERER=${GSK_RENDERER:-cairo} xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$BENCH" "$PROJECT" 2>/dev/null | tail -n 1
done
