# SPDX-License-Identifier: GPL-3.0-or-later
"""Translations: every file with user-visible strings is in po/POTFILES.in, the strings
extract, every catalogue in po/ compiles, and a Spanish reader gets Spanish."""

import gettext
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from twtest import SOURCE_ROOT

PO_DIR = os.path.join(SOURCE_ROOT, "po")
# The C and Builder sources that can hold user-visible strings.
SOURCE_DIRS = ("app", "ui", "data", "geo")
MARKED_C = re.compile(r"(?<![A-Za-z0-9_])(?:N?C?_|g_dngettext|g_dpgettext2|ngettext)\s*\(")
MARKED_UI = re.compile(r'translatable="yes"')
# Keywords of meson's i18n 'glib' preset.
XGETTEXT_ARGS = ["--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
                 "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
                 "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
                 "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
                 "--flag=NC_:2:pass-c-format", "--flag=g_dngettext:2:pass-c-format",
                 "--flag=g_strdup_printf:1:c-format", "--flag=g_set_error:4:c-format"]


def tool(name, package):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"{name} is missing: install the Debian package {package}")
    return path


def potfiles():
    with open(os.path.join(PO_DIR, "POTFILES.in"), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def linguas():
    with open(os.path.join(PO_DIR, "LINGUAS"), encoding="utf-8") as f:
        return [w for l in f if not l.startswith("#") for w in l.split()]


def strip_c_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


class PotfilesTest(unittest.TestCase):
    def test_every_file_with_marked_strings_is_listed(self):
        listed = set(potfiles())
        missing = []
        for folder in SOURCE_DIRS:
            for dirpath, _, names in os.walk(os.path.join(SOURCE_ROOT, folder)):
                for name in sorted(names):
                    path = os.path.join(dirpath, name)
                    rel = os.path.relpath(path, SOURCE_ROOT)
                    if name.endswith((".c", ".h")):
                        with open(path, encoding="utf-8", errors="replace") as f:
                            marked = MARKED_C.search(strip_c_comments(f.read()))
                    elif name.endswith(".ui"):
                        with open(path, encoding="utf-8", errors="replace") as f:
                            marked = MARKED_UI.search(f.read())
                    else:
                        marked = name.endswith((".desktop.in", ".metainfo.xml.in",
                                                ".gschema.xml"))
                    if marked and rel not in listed:
                        missing.append(rel)
        self.assertEqual(missing, [], "add these to po/POTFILES.in")

    def test_every_listed_file_exists(self):
        for rel in potfiles():
            self.assertTrue(os.path.isfile(os.path.join(SOURCE_ROOT, rel)), rel)

    def test_strings_extract(self):
        with tempfile.TemporaryDirectory() as tmp:
            pot = os.path.join(tmp, "tractwise.pot")
            proc = subprocess.run([tool("xgettext", "gettext"), *XGETTEXT_ARGS,
                                   "--files-from=" + os.path.join(PO_DIR, "POTFILES.in"),
                                   "--directory=" + SOURCE_ROOT, "--output=" + pot],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(pot, encoding="utf-8") as f:
                text = f.read()
        # Strings from each kind of file: desktop entry, metainfo, C, Builder.
        for msgid in ("Health Equity Maps", "Map health outcomes by census tract",
                      "The Tractwise contributors"):
            self.assertIn(f'msgid "{msgid}"', text)
        self.assertRegex(text, r"#: [^\n]*ui/[\w-]+\.ui:\d+")
        self.assertRegex(text, r"#: [^\n]*ui/[\w-]+\.c:\d+")


class CatalogueTest(unittest.TestCase):
    def test_linguas_and_po_files_agree(self):
        languages = linguas()
        self.assertIn("es", languages)
        on_disk = sorted(n[:-3] for n in os.listdir(PO_DIR) if n.endswith(".po"))
        self.assertEqual(sorted(languages), on_disk)

    def test_catalogues_compile_with_checks(self):
        # --check compares each translation's printf conversions with its msgid: a
        # translation that drops or reorders a %s would crash or lie at run time.
        for lang in linguas():
            proc = subprocess.run([tool("msgfmt", "gettext"), "--check", "--statistics",
                                   "-o", os.devnull, os.path.join(PO_DIR, lang + ".po")],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_a_spanish_reader_gets_spanish(self):
        with tempfile.TemporaryDirectory() as tmp:
            messages = os.path.join(tmp, "es", "LC_MESSAGES")
            os.makedirs(messages)
            subprocess.run([tool("msgfmt", "gettext"), "-o",
                            os.path.join(messages, "tractwise.mo"),
                            os.path.join(PO_DIR, "es.po")], check=True)
            es = gettext.translation("tractwise", tmp, languages=["es"])
        self.assertEqual(es.gettext("Open a Project"), "Abrir un proyecto")
        self.assertEqual(es.gettext("Health Equity Maps"), "Mapas de equidad en salud")
        self.assertEqual(es.pgettext("shortcut window", "Quit"), "Salir")
        self.assertEqual(es.ngettext("%s area", "%s areas", 2) % "506", "506 áreas")

    def test_desktop_entry_and_summary_translated_in_every_language(self):
        # What a software centre and the app grid show first.
        with open(os.path.join(SOURCE_ROOT, "app", "io.github.tractwise.Tractwise.desktop.in"),
                  encoding="utf-8") as f:
            entry = dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l)
        wanted = [entry["GenericName"], entry["Comment"], entry["Keywords"],
                  "Map health outcomes by census tract"]
        for lang in linguas():
            with tempfile.TemporaryDirectory() as tmp:
                messages = os.path.join(tmp, lang, "LC_MESSAGES")
                os.makedirs(messages)
                subprocess.run([tool("msgfmt", "gettext"), "-o",
                                os.path.join(messages, "tractwise.mo"),
                                os.path.join(PO_DIR, lang + ".po")], check=True)
                catalogue = gettext.translation("tractwise", tmp, languages=[lang])
            for msgid in wanted:
                self.assertNotEqual(catalogue.gettext(msgid), msgid, f"{lang}: {msgid}")
            keywords = catalogue.gettext(entry["Keywords"])
            self.assertTrue(keywords.endswith(";"), f"{lang}: {keywords}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
