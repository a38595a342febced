# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest, read as Flathub's reviewers read it. No runtime can be downloaded
where the tests run, so this checks the manifest itself: every source pinned, the app id
the same as in the desktop files, the command one that meson builds, and a sandbox as narrow
as the program allows (files through portals, the network only for basemap tiles)."""

import json
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET

import twtest
from twtest import SOURCE_ROOT

MANIFEST = os.path.join(SOURCE_ROOT, "flatpak", "io.github.tractwise.Tractwise.json")
BUILD_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(twtest.CLI)))
SHA256 = re.compile(r"^[0-9a-f]{64}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
# The OGR drivers Tractwise reads and writes: areas (Shapefile, GeoPackage, GeoJSON and
# TopoJSON, FlatGeobuf, KML, GML), outcome tables (CSV, XLSX, ODS, DBF through Shapefile),
# the share package (GeoPackage, on SQLite).
DRIVERS = {"GPKG", "SQLITE", "SHAPE", "GEOJSON", "FLATGEOBUF", "KML", "GML", "CSV", "XLSX",
           "ODS"}
ALLOWED_FINISH_ARGS = {"--share=ipc", "--socket=wayland", "--socket=fallback-x11",
                       "--device=dri", "--share=network"}


def load():
    with open(MANIFEST, encoding="utf-8") as f:
        return json.load(f)


def modules(manifest):
    def walk(items):
        for m in items:
            if isinstance(m, str):
                raise AssertionError(f"module {m} is in another file; keep the manifest whole")
            yield m
            yield from walk(m.get("modules", []))
    return list(walk(manifest["modules"]))


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.manifest = load()

    def test_app_id_matches_the_desktop_files(self):
        app_id = self.manifest["id"]
        with open(os.path.join(SOURCE_ROOT, "meson.build"), encoding="utf-8") as f:
            self.assertIn(f"app_id = '{app_id}'", f.read())
        metainfo = ET.parse(os.path.join(SOURCE_ROOT, "app",
                                         app_id + ".metainfo.xml.in")).getroot()
        self.assertEqual(metainfo.findtext("id"), app_id)
        self.assertEqual(metainfo.findtext("launchable"), app_id + ".desktop")
        self.assertTrue(os.path.isfile(os.path.join(SOURCE_ROOT, "app",
                                                    app_id + ".desktop.in")))

    def test_supported_gnome_runtime(self):
        self.assertEqual(self.manifest["runtime"], "org.gnome.Platform")
        self.assertEqual(self.manifest["sdk"], "org.gnome.Sdk")
        self.assertGreaterEqual(int(self.manifest["runtime-version"]), 47)

    def test_command_is_an_installed_program_meson_builds(self):
        command = self.manifest["command"]
        proc = subprocess.run(["meson", "introspect", "--targets", BUILD_ROOT],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        targets = {t["name"]: t for t in json.loads(proc.stdout) if t["type"] == "executable"}
        if command not in targets:
            self.skipTest(f"this build folder does not build {command} (-Dgui=false)")
        self.assertEqual(targets[command]["type"], "executable")
        self.assertTrue(targets[command]["installed"])
        self.assertTrue(any(p.endswith("/bin/" + command)
                            for p in targets[command]["install_filename"]))

    def test_every_source_is_pinned(self):
        for module in modules(self.manifest):
            sources = module.get("sources", [])
            self.assertTrue(sources, f"{module['name']} has no source")
            for source in sources:
                kind = source.get("type")
                where = f"{module['name']}: {source}"
                if kind in ("archive", "file"):
                    self.assertTrue(source["url"].startswith("https://"), where)
                    self.assertRegex(source.get("sha256", ""), SHA256, where)
                elif kind == "shell":
                    # Commands run in the unpacked source: nothing is fetched.
                    self.assertTrue(source.get("commands"), where)
                    for command in source["commands"]:
                        self.assertNotRegex(command, r"\b(curl|wget|git)\b", where)
                elif kind == "git":
                    self.assertRegex(source.get("commit", ""), COMMIT, where)
                elif kind == "dir":
                    # Only Tractwise itself, built from the tree this manifest is in.
                    self.assertEqual(module["name"], "tractwise", where)
                    root = os.path.normpath(os.path.join(os.path.dirname(MANIFEST),
                                                         source["path"]))
                    self.assertEqual(root, os.path.normpath(SOURCE_ROOT), where)
                else:
                    self.fail(f"unpinned source kind {kind}: {where}")

    def test_dependencies_built_before_tractwise(self):
        names = [m["name"] for m in modules(self.manifest)]
        self.assertEqual(names[-1], "tractwise")
        for needed in ("proj", "geos", "gdal", "libshumate"):
            self.assertIn(needed, names)
        self.assertLess(names.index("proj"), names.index("gdal"))
        self.assertLess(names.index("geos"), names.index("gdal"))
        # json-glib is in the GNOME runtime; building it again would shadow it.
        self.assertNotIn("json-glib", names)

    def test_gdal_has_only_the_drivers_tractwise_uses(self):
        gdal = next(m for m in modules(self.manifest) if m["name"] == "gdal")
        opts = gdal["config-opts"]
        self.assertIn("-DGDAL_BUILD_OPTIONAL_DRIVERS=OFF", opts)
        self.assertIn("-DOGR_BUILD_OPTIONAL_DRIVERS=OFF", opts)
        enabled = {m.group(1) for o in opts
                   for m in [re.match(r"-DOGR_ENABLE_DRIVER_(\w+)=ON$", o)] if m}
        self.assertEqual(enabled, DRIVERS)
        self.assertIn("-DGDAL_USE_GEOS=ON", opts)
        self.assertIn("-DGDAL_USE_SQLITE3=ON", opts)

    def test_sandbox_is_narrow(self):
        args = self.manifest["finish-args"]
        self.assertEqual(len(args), len(set(args)))
        self.assertLessEqual(set(args), ALLOWED_FINISH_ARGS,
                             "files come through the portals; nothing broader")
        for arg in args:
            self.assertFalse(arg.startswith("--filesystem"), arg)
        self.assertIn("--socket=wayland", args)
        self.assertIn("--socket=fallback-x11", args)
        self.assertNotIn("--socket=x11", args)


if __name__ == "__main__":
    unittest.main(verbosity=2)
