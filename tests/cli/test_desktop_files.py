# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop files as a software centre and a desktop read them: the desktop entry, the
AppStream metainfo, the MIME types, the GSettings schema and the icons. The validators are
the ones distributions and Flathub run; the checks after them are what a user would notice
(the app missing from "Open With", a wrong icon, a broken screenshot)."""

import configparser
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

import twtest
from twtest import SOURCE_ROOT, CliTestCase, fixture, run

APP_DIR = os.path.join(SOURCE_ROOT, "app")
BUILD_APP_DIR = os.path.dirname(os.path.abspath(twtest.CLI))
SVG = "{http://www.w3.org/2000/svg}"


def meson_app_id():
    with open(os.path.join(SOURCE_ROOT, "meson.build"), encoding="utf-8") as f:
        m = re.search(r"^app_id\s*=\s*'([^']+)'", f.read(), re.M)
    assert m, "meson.build sets no app_id"
    return m.group(1)


def meson_version():
    with open(os.path.join(SOURCE_ROOT, "meson.build"), encoding="utf-8") as f:
        return re.search(r"version:\s*'([^']+)'", f.read()).group(1)


APP_ID = meson_app_id()


def tool(name, package):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"{name} is missing: install the Debian package {package} "
                             "(build-aux/install-deps --tests does)")
    return path


def read_desktop(path):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


class DesktopEntryTest(CliTestCase):
    def validate(self, path):
        # desktop-file-validate insists on the .desktop extension.
        target = self.path(APP_ID + ".desktop")
        shutil.copyfile(path, target)
        proc = subprocess.run([tool("desktop-file-validate", "desktop-file-utils"), target],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotIn("error:", proc.stdout + proc.stderr)
        return read_desktop(target)

    def test_source_and_built_entries_validate(self):
        self.validate(os.path.join(APP_DIR, APP_ID + ".desktop.in"))
        built = self.validate(os.path.join(BUILD_APP_DIR, APP_ID + ".desktop"))
        # The built entry carries the translations from po/.
        self.assertEqual(built["GenericName[es]"], "Mapas de equidad en salud")
        self.assertIn("Comment[es]", built)
        self.assertTrue(built["Keywords[es]"].endswith(";"))

    def test_opens_projects_and_share_packages(self):
        entry = read_desktop(os.path.join(APP_DIR, APP_ID + ".desktop.in"))
        mime_types = entry["MimeType"].rstrip(";").split(";")
        self.assertIn("application/x-tractwise", mime_types)
        self.assertIn("application/geopackage+sqlite3", mime_types)
        # Files from the file manager reach the program as arguments.
        self.assertRegex(entry["Exec"], r"^tractwise %[UF]$")
        self.assertEqual(entry["Icon"], APP_ID)
        self.assertEqual(entry["Terminal"], "false")


class MetainfoTest(CliTestCase):
    def validate(self, path):
        target = self.path(APP_ID + ".metainfo.xml")
        shutil.copyfile(path, target)
        proc = subprocess.run([tool("appstreamcli", "appstream"), "validate", "--no-net",
                               "--no-color", target], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotRegex(proc.stdout, r"(?m)^E: ")
        return ET.parse(target).getroot()

    def test_source_and_built_metainfo_validate(self):
        self.validate(os.path.join(APP_DIR, APP_ID + ".metainfo.xml.in"))
        root = self.validate(os.path.join(BUILD_APP_DIR, APP_ID + ".metainfo.xml"))
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        spanish = [e.text for e in root.findall("summary") if e.get(lang) == "es"]
        self.assertEqual(spanish, ["Resultados de salud por sección censal"])

    def test_what_a_software_centre_shows(self):
        root = ET.parse(os.path.join(APP_DIR, APP_ID + ".metainfo.xml.in")).getroot()
        self.assertEqual(root.get("type"), "desktop-application")
        self.assertEqual(root.findtext("id"), APP_ID)
        self.assertEqual(root.findtext("launchable"), APP_ID + ".desktop")
        self.assertEqual(root.findtext("project_license"), "GPL-3.0-or-later")
        self.assertEqual(root.findtext("metadata_license"), "CC0-1.0")
        self.assertEqual(root.find("content_rating").get("type"), "oars-1.1")
        binaries = {b.text for b in root.findall("provides/binary")}
        self.assertEqual(binaries, {"tractwise", "tractwise-cli"})
        # The newest release is the version meson builds.
        release = root.find("releases/release")
        self.assertEqual(release.get("version"), meson_version())
        self.assertRegex(release.get("date"), r"^\d{4}-\d{2}-\d{2}$")
        colours = root.findall("branding/color")
        self.assertEqual({c.get("scheme_preference") for c in colours}, {"light", "dark"})

    def test_screenshots_are_in_the_repository(self):
        root = ET.parse(os.path.join(APP_DIR, APP_ID + ".metainfo.xml.in")).getroot()
        images = root.findall("screenshots/screenshot/image")
        self.assertGreaterEqual(len(images), 1)
        prefix = "https://github.com/tractwise/tractwise/raw/main/"
        for image in images:
            url = image.text.strip()
            self.assertTrue(url.startswith(prefix), url)
            local = os.path.join(SOURCE_ROOT, url[len(prefix):])
            self.assertTrue(os.path.isfile(local), f"{url} is not in the tree")
            # A software centre lays the page out from the declared size.
            self.assertEqual(png_size(local), (int(image.get("width")),
                                               int(image.get("height"))), url)


class SchemaTest(CliTestCase):
    SCHEMA = os.path.join(APP_DIR, APP_ID + ".gschema.xml")

    def gsettings(self, *args):
        proc = subprocess.run([tool("gsettings", "libglib2.0-bin"), "--schemadir",
                               BUILD_APP_DIR, *args], capture_output=True, text=True,
                              env={**os.environ, "GSETTINGS_BACKEND": "memory"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout.strip()

    def test_schema_compiles_strictly(self):
        folder = self.path("schemas")
        os.mkdir(folder)
        shutil.copy(self.SCHEMA, folder)
        proc = subprocess.run([tool("glib-compile-schemas", "libglib2.0-bin"), "--strict",
                               "--dry-run", folder], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")

    def test_built_schema_and_its_defaults(self):
        self.assertTrue(os.path.isfile(os.path.join(BUILD_APP_DIR, "gschemas.compiled")),
                        "meson did not compile the schema into the build folder")
        keys = set(self.gsettings("list-keys", APP_ID).split())
        self.assertEqual(keys, {"window-width", "window-height", "window-maximized",
                                "last-project", "basemap", "default-palette",
                                "default-classes", "default-classification",
                                "analyst-view", "user-name", "user-organisation",
                                "last-maps"})
        # No workspace's last map is remembered before a window has closed on it.
        self.assertEqual(self.gsettings("get", APP_ID, "last-maps"), "@a{sa{sv}} {}")
        # Raw figures are never on screen unless someone asks for them.
        self.assertEqual(self.gsettings("get", APP_ID, "analyst-view"), "false")
        # Nobody is named until they give their name: never the account's.
        self.assertEqual(self.gsettings("get", APP_ID, "user-name"), "''")
        self.assertEqual(self.gsettings("get", APP_ID, "user-organisation"), "''")
        self.assertEqual(self.gsettings("get", APP_ID, "default-palette"), "'YlOrRd'")
        self.assertEqual(self.gsettings("range", APP_ID, "default-classes"),
                         "range i 3 9")

    def test_palette_choices_are_the_palettes_the_program_knows(self):
        with open(os.path.join(SOURCE_ROOT, "geo", "tw-palette.c"), encoding="utf-8") as f:
            known = set(re.findall(r'\{ "([A-Za-z]+)", TW_PALETTE_', f.read()))
        self.assertTrue(known)
        root = ET.parse(self.SCHEMA).getroot()
        key = root.find("schema/key[@name='default-palette']")
        choices = {c.get("value") for c in key.findall("choices/choice")}
        self.assertEqual(choices, known)


class AppIdTest(unittest.TestCase):
    def test_one_id_everywhere(self):
        self.assertEqual(APP_ID, "io.github.tractwise.Tractwise")
        for name in (".desktop.in", ".metainfo.xml.in", ".gschema.xml", ".mime.xml"):
            self.assertTrue(os.path.isfile(os.path.join(APP_DIR, APP_ID + name)), name)
        schema = ET.parse(os.path.join(APP_DIR, APP_ID + ".gschema.xml")).getroot()
        ids = [s.get("id") for s in schema.findall("schema")]
        self.assertEqual(ids, [APP_ID])
        self.assertEqual(schema.find("schema").get("path"),
                         "/" + APP_ID.replace(".", "/") + "/")
        metainfo = ET.parse(os.path.join(APP_DIR, APP_ID + ".metainfo.xml.in")).getroot()
        self.assertEqual(metainfo.findtext("id"), APP_ID)
        entry = read_desktop(os.path.join(APP_DIR, APP_ID + ".desktop.in"))
        self.assertEqual(entry["Icon"], APP_ID)


class IconTest(unittest.TestCase):
    ICONS = os.path.join(APP_DIR, "icons", "hicolor")

    def parse(self, *parts):
        root = ET.parse(os.path.join(self.ICONS, *parts)).getroot()
        self.assertEqual(root.tag, SVG + "svg")
        return root

    def test_scalable_icon(self):
        root = self.parse("scalable", "apps", APP_ID + ".svg")
        self.assertEqual(root.get("viewBox"), "0 0 128 128")
        self.assertGreater(len(root.findall(f".//{SVG}path")), 10)

    def test_symbolic_icon_can_be_recoloured(self):
        root = self.parse("symbolic", "apps", APP_ID + "-symbolic.svg")
        self.assertEqual(root.get("viewBox"), "0 0 16 16")
        # GTK recolours the fills of a symbolic icon; a stroke would keep its colour and
        # vanish on a dark background.
        for element in root.iter():
            self.assertIsNone(element.get("stroke"), element.tag)
            self.assertNotIn("stroke", element.get("style", ""), element.tag)

    def test_icons_are_in_the_gresource(self):
        # So the About window shows the icon from the build folder too.
        root = ET.parse(os.path.join(APP_DIR, "tractwise-icons.gresource.xml")).getroot()
        resource = root.find("gresource")
        self.assertEqual(resource.get("prefix"),
                         "/" + APP_ID.replace(".", "/") + "/icons")
        aliases = {f.get("alias") for f in resource.findall("file")}
        self.assertIn(f"scalable/apps/{APP_ID}.svg", aliases)
        self.assertIn(f"symbolic/apps/{APP_ID}-symbolic.svg", aliases)


class MimeTypeTest(CliTestCase):
    """The MIME definitions, installed into a private database, recognise a real project and
    a real GeoPackage by their content, not only by their names."""

    MIME_XML = os.path.join(APP_DIR, APP_ID + ".mime.xml")

    @classmethod
    def setUpClass(cls):
        cls.database = tempfile.mkdtemp(prefix="tw-mime-")
        cls.data = os.path.join(cls.database, "share")
        packages = os.path.join(cls.data, "mime", "packages")
        os.makedirs(packages)
        system = "/usr/share/mime/packages/freedesktop.org.xml"
        if not os.path.isfile(system):
            raise AssertionError("shared-mime-info is not installed")
        shutil.copy(system, packages)
        shutil.copy(cls.MIME_XML, os.path.join(packages, APP_ID + ".xml"))
        proc = subprocess.run([tool("update-mime-database", "shared-mime-info"),
                               os.path.join(cls.data, "mime")],
                              capture_output=True, text=True,
                              env={**os.environ, "XDG_DATA_DIRS": cls.data})
        if proc.returncode != 0 or proc.stderr.strip():
            raise AssertionError("update-mime-database: " + proc.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.database, ignore_errors=True)

    def content_type(self, path):
        env = {**os.environ, "XDG_DATA_DIRS": self.data,
               "XDG_DATA_HOME": os.path.join(self.database, "nohome")}
        proc = subprocess.run([tool("gio", "libglib2.0-bin"), "info", "-a",
                               "standard::content-type", path],
                              capture_output=True, text=True, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        m = re.search(r"standard::content-type: (\S+)", proc.stdout)
        self.assertIsNotNone(m, proc.stdout)
        return m.group(1)

    def test_xml_is_well_formed(self):
        proc = subprocess.run([tool("xmllint", "libxml2-utils"), "--noout", self.MIME_XML],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_project_recognised_by_name_and_by_content(self):
        project = self.new_project("study.tractwise")
        self.assertEqual(self.content_type(project), "application/x-tractwise")
        renamed = self.path("study-copy.sqlite")
        shutil.copyfile(project, renamed)
        self.assertEqual(self.content_type(renamed), "application/x-tractwise")

    def test_other_sqlite_files_are_not_projects(self):
        plain = self.path("other.sqlite")
        # An SQLite header without Tractwise's application_id.
        with open(plain, "wb") as f:
            f.write(b"SQLite format 3\x00" + b"\x10\x00" + bytes(82))
        self.assertEqual(self.content_type(plain), "application/vnd.sqlite3")

    def test_geopackage_recognised(self):
        gpkg = fixture("areas", "boston_tracts.gpkg")
        self.assertEqual(self.content_type(gpkg), "application/geopackage+sqlite3")
        renamed = self.path("tracts.db")
        shutil.copyfile(gpkg, renamed)
        self.assertEqual(self.content_type(renamed), "application/geopackage+sqlite3")


if __name__ == "__main__":
    unittest.main(verbosity=2)
