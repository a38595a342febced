#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""peer-points-geopandas.py TRACTS.gpkg EVENTS.csv: the import-points benchmark's peer — read
the events, join them to the tracts with GeoPandas' sjoin (predicate "within", its R-tree)
and count them by tract, group and year, as tractwise-cli import-points does. Prints the
number of events assigned."""
import sys

import geopandas as gpd
import pandas as pd

tracts_path, events_path = sys.argv[1:3]
tracts = gpd.read_file(tracts_path)[["GEOID", "geometry"]].to_crs(4326)
events = pd.read_csv(events_path, dtype={"race": str, "visit_date": str})
points = gpd.GeoDataFrame(events[["race"]], crs=4326,
                          geometry=gpd.points_from_xy(events["lon"], events["lat"]))
points["year"] = events["visit_date"].str[:4]
joined = gpd.sjoin(points, tracts, how="left", predicate="within")
counts = joined.dropna(subset=["GEOID"]).groupby(["GEOID", "race", "year"]).size()
print(int(counts.sum()))
