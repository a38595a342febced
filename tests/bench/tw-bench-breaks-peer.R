# Peer of tw-bench-breaks: R classInt's exact Fisher-Jenks natural breaks on the same file.
# Usage: Rscript tests/bench/tw-bench-breaks-peer.R VALUES.txt K [K …]
# Times the classIntervals() call alone (elapsed), with largeN = Inf so that classInt
# classifies every value instead of a 10% sample, and prints one JSON line per K in the
# shape tw-bench-breaks prints (within_ss under the same right-closed classes).
suppressMessages(library(classInt))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: tw-bench-breaks-peer.R VALUES.txt K [K ...]")
lines <- trimws(readLines(args[1]))
lines <- lines[lines != "" & !startsWith(lines, "#")]
x <- suppressWarnings(as.numeric(lines))
x <- x[!is.na(x)]
for (k in as.integer(args[-1])) {
  t <- system.time(ci <- classIntervals(x, k, style = "fisher", largeN = Inf))[["elapsed"]]
  b <- ci$brks
  cls <- findInterval(x, b, rightmost.closed = TRUE, left.open = TRUE, all.inside = TRUE)
  wss <- sum(tapply(x, cls, function(v) sum((v - mean(v))^2)))
  cat(sprintf(paste0('{"peer":"R classInt %s fisher","n":%d,"k":%d,"seconds":%.3f,',
                     '"within_ss":%.17g,"breaks":[%s]}\n'),
              as.character(packageVersion("classInt")), length(x), k, t, wss,
              paste(sprintf("%.17g", b), collapse = ",")))
}
