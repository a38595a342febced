# SPDX-License-Identifier: GPL-3.0-or-later
# Peer of tw-bench-breaks: R classInt's exact natural breaks (style = "fisher").
#   Rscript peer-breaks.R VALUES.txt K [RUNS]
# Reads one value per line ("NA" and blank lines are missing), times classIntervals()
# alone (proc.time around the call, RUNS times, default 1; the median is printed), and
# prints one JSON line: {"seconds", "within_ss", "breaks"}.  within_ss is the sum over the
# classes (as classInt assigns them, findCols) of squared deviations from the class mean.
suppressPackageStartupMessages(library(classInt))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: peer-breaks.R VALUES.txt K [RUNS]")
x <- suppressWarnings(as.numeric(readLines(args[1])))
x <- x[is.finite(x)]
k <- as.integer(args[2])
runs <- if (length(args) >= 3) as.integer(args[3]) else 1L
times <- numeric(runs)
ci <- NULL
for (r in seq_len(runs)) {
  t0 <- proc.time()[["elapsed"]]
  ci <- classIntervals(x, n = k, style = "fisher", warnLargeN = FALSE)
  times[r] <- proc.time()[["elapsed"]] - t0
}
cls <- findCols(ci)
wss <- sum(tapply(x, cls, function(v) sum((v - mean(v))^2)))
cat(sprintf('{"seconds": %.6f, "within_ss": %.17g, "n": %d, "breaks": [%s]}\n',
            median(times), wss, length(x),
            paste(sprintf("%.17g", ci$brks), collapse = ", ")))
