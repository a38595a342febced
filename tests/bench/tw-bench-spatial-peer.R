# Peer of tw-bench-spatial: R spdep on the same tracts and values.
# Usage: Rscript tests/bench/tw-bench-spatial-peer.R TASK nation.gpkg VALUES.txt
#   TASK: weights (poly2nb, queen), lisa (localmoran_perm, 999 permutations),
#         moran (moran.mc, 999 permutations)
# Reading the file and, for lisa and moran, building the queen weights are not timed: only
# the call named. VALUES.txt holds one value per tract in the layer's order ("NA" → mean).
# Prints one JSON line in the shape tw-bench-spatial prints.
suppressPackageStartupMessages({ library(sf); library(spdep) })
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) stop("usage: tw-bench-spatial-peer.R weights|lisa|moran GPKG VALUES")
task <- args[1]
areas <- st_read(args[2], quiet = TRUE)
peer <- sprintf("R spdep %s", as.character(packageVersion("spdep")))
if (task == "weights") {
  t <- system.time(nb <- poly2nb(areas, queen = TRUE))[["elapsed"]]
  k <- card(nb)
  cat(sprintf('{"peer":"%s poly2nb","task":"weights","areas":%d,"seconds":%.3f,"links":%d,"islands":%d,"min":%d,"max":%d,"mean":%.6f}\n',
              peer, length(nb), t, sum(k), sum(k == 0), min(k), max(k), mean(k)))
} else {
  lines <- trimws(readLines(args[3]))
  x <- suppressWarnings(as.numeric(lines[lines != "" & !startsWith(lines, "#")]))
  if (length(x) != nrow(areas)) stop("values and tracts differ in number")
  x[is.na(x)] <- mean(x, na.rm = TRUE)
  nb <- poly2nb(areas, queen = TRUE)
  lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
  set.seed(1)
  if (task == "lisa") {
    t <- system.time(r <- localmoran_perm(x, lw, nsim = 999, zero.policy = TRUE))[["elapsed"]]
    p <- r[, "Pr(folded) Sim"]
    cat(sprintf('{"peer":"%s localmoran_perm","task":"lisa","areas":%d,"permutations":999,"seconds":%.3f,"significant_05":%d}\n',
                peer, length(x), t, sum(p <= 0.05, na.rm = TRUE)))
  } else {
    t <- system.time(r <- moran.mc(x, lw, nsim = 999, zero.policy = TRUE))[["elapsed"]]
    cat(sprintf('{"peer":"%s moran.mc","task":"moran","areas":%d,"permutations":999,"seconds":%.3f,"i":%.17g,"p":%.6g}\n',
                peer, length(x), t, r$statistic, r$p.value))
  }
}
