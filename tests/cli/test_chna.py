# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/chna: tractwise-cli export-chna writes the data sections of a Community Health Needs
Assessment: six headed sections filled from the workspace, read back with pdftotext, in a
tagged PDF."""
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

from exporttest import (audit_actions, make_demo, pdf_structure, pdf_text, temp_dir)
from twtest import CliTestCase, run

DEMO_DIR = None
DEMO = None
SECTIONS = ["Community served", "Process and methods", "Community input",
            "Significant health needs", "Resources available", "Impact of actions taken"]


def setUpModule():
    global DEMO_DIR, DEMO
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)


def flat(text):
    return " ".join(text.split())


def headings(raw):
    """Where each section's heading, a line of its own, starts in the flattened text."""
    lines = raw.splitlines()
    found = {}
    offset = 0
    for line in lines:
        if line.strip() in SECTIONS and line.strip() not in found:
            found[line.strip()] = offset
        offset += len(" ".join(line.split())) + 1 if line.split() else 0
    return found


def section(raw, name):
    """The flattened text of section @name, up to the next section's heading."""
    found = headings(raw)
    text = flat(raw)
    start = found[name]
    ends = [at for at in found.values() if at > start]
    return text[start:min(ends) if ends else len(text)]


def content_streams(path, directory):
    """The pages' content streams, uncompressed (qpdf's QDF form), as text."""
    qdf = os.path.join(directory, "qdf.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, qdf], check=True)
    with open(qdf, "rb") as f:
        data = f.read().decode("latin-1")
    return [m.group(1) for m in re.finditer(r"stream\n(.*?)endstream", data, re.S)
            if re.search(r"\bBT\b", m.group(1)) and "/MCID" in m.group(1)]


TOKEN = re.compile(r"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<<.*?>>|<[0-9a-fA-F]*>|"
                   r"/[^\s/\[\]()<>]+|[^\s/\[\]()<>]+|[\[\]]", re.S)


def untagged_text(stream):
    """What is shown outside both a structure element and an artifact, and the text shown
    inside artifacts: (untagged, artifacts). A string of text shown is its operands."""
    stack, operands, untagged, artifacts = [], [], [], []
    for token in TOKEN.findall(stream):
        if not re.fullmatch(r"[A-Za-z'\"*]+[0-9]?", token) or token in ("true", "false"):
            operands.append(token)
            continue
        if token in ("BDC", "BMC"):
            stack.append("artifact" if operands and operands[0] == "/Artifact"
                         else "tagged" if any("/MCID" in o for o in operands) else "other")
        elif token == "EMC":
            stack.pop()
        elif token in ("Tj", "TJ", "'", '"'):
            shown = "".join(re.findall(r"\(((?:\\.|[^\\()])*)\)", " ".join(operands)))
            if "artifact" in stack:
                artifacts.append(shown)
            elif "tagged" not in stack:
                untagged.append(shown)
        operands = []
    assert not stack, stack
    return untagged, artifacts


class ChnaTest(CliTestCase):
    def write(self, *extra):
        project = self.path("demo.tractwise")
        if not self.exists(project):
            shutil.copy(DEMO, project)
        out = self.path("chna.pdf")
        run("export-chna", project, "--out", out, *extra)
        return project, out

    def exists(self, path):
        try:
            open(path, "rb").close()
            return True
        except OSError:
            return False

    def test_sections_in_order_filled_from_the_workspace(self):
        project, out = self.write("--organisation", "Eastside Medical Center")
        raw = pdf_text(out)
        text = flat(raw)
        # Each section headed, in the regulation's order.
        found = headings(raw)
        self.assertEqual(sorted(found, key=found.get), SECTIONS)
        self.assertIn("Eastside Medical Center", text)

        # Community served: the areas and the population, the sum of the public
        # denominators of every area's row for all groups.
        _, rows, _ = run("rates", project, "--measure", "asthma_ed", "--period", "2021")
        total = sum(r["denominator"] for r in rows if r["stratum"] == "all")
        served = section(raw, "Community served")
        self.assertIn(f"Population: {round(total):,}", served)
        self.assertIn("Boston tracts", served)
        self.assertIn(f"{len([r for r in rows if r['stratum'] == 'all'])}", served)
        self.assertIn("Black", served)
        self.assertNotIn("black", served)

        # Process and methods: the data dictionary by label, sources and the policy.
        methods = section(raw, "Process and methods")
        for expected in ["Asthma emergency visits (synthetic)", "Rate per 10,000",
                         "boston-asthma_ed-SYNTHETIC.csv", "k = 11", "Garwood", "Wilson"]:
            self.assertIn(expected, methods)

        # Significant health needs: every measure, ranked by the stated criterion, the
        # shares of areas worse than the region in falling order.
        needs = section(raw, "Significant health needs")
        self.assertIn("Criterion:", needs)
        shares = [float(s) for s in re.findall(r"\d+ of \d+ \(([\d.]+)%\)", needs)]
        self.assertEqual(len(shares), 4)
        self.assertEqual(shares, sorted(shares, reverse=True))
        for label in ["Uncontrolled diabetes", "Asthma emergency visits", "Preterm birth",
                      "Sudden infant death syndrome"]:
            self.assertIn(label, needs)
        self.assertIn("suppressed", needs)   # reliability

        # Resources available: the partner registry, never a contact's e-mail or phone.
        resources = section(raw, "Resources available")
        self.assertIn("Dorchester Family Health", resources)
        self.assertIn("Memorandum of understanding", resources)
        self.assertNotIn("ana@dfh.example.org", text)
        self.assertNotIn("555-0100", text)

        # Impact of actions taken: the projects and their evaluations in words.
        impact = section(raw, "Impact of actions taken")
        self.assertIn("Asthma home visits", impact)
        self.assertIn("Not distinguishable from the change in the comparison areas", impact)
        self.assertIn("Active", impact)
        self.assertEqual(audit_actions(project).count("export-chna"), 1)

    def test_source_line_under_the_title(self):
        _, out = self.write("--source", "Hospital discharge records, 2019-2021")
        raw = pdf_text(out)
        first = flat(raw)[:flat(raw).index("Community served")]
        self.assertIn("Source: Hospital discharge records, 2019-2021", first)
        _, plain = self.write()
        self.assertNotIn("Source:", flat(pdf_text(plain)).split("Community served")[0])

    def test_community_input_lists_partners_comments(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        package = self.path("share.gpkg")
        run("export-share", project, "--out", package)
        comments = self.path("comments.json")
        run("review-comment", package, "--area", "0901", "--geography", "Boston tracts",
            "--author", "Roxbury Youth League", "--text", "The clinic on this block closed.",
            "--out", comments)
        run("import-comments", project, comments)
        _, out = self.write()
        raw = pdf_text(out)
        community = section(raw, "Community input")
        self.assertIn("2 partner organisations", community)
        self.assertIn("Roxbury Youth League", community)
        self.assertIn("The clinic on this block closed.", community)
        self.assertIn("0901", community)

    def test_needs_table_kept_together_near_a_page_end(self):
        """Partners' comments push the needs table down a row at a time, across a page end:
        on each page the table runs onto, its header has at least two of its rows under it
        (never one row left alone), and no page ends with a heading."""
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        headings = SECTIONS + ["Suppression policy", "Data dictionary and sources"]
        row = re.compile(r"\d+ of \d+ \([\d.]+%\)")   # the "Areas worse" cell of each row
        split = set()
        for n in range(17):
            if n > 0:
                with sqlite3.connect(project) as db:
                    db.execute("INSERT INTO comment (project_id, author, body, created_at) "
                               "VALUES (1, 'Roxbury Youth League', ?, '2021-03-01')",
                               (f"Comment {n}: the clinic on this block moved.",))
                db.close()
            out = self.path("chna.pdf")
            run("export-chna", project, "--out", out)
            pages = [p for p in pdf_text(out).split("\f") if p.strip()]
            holding = []
            for number, page in enumerate(pages, 1):
                lines = [line.strip() for line in page.splitlines() if line.strip()
                         and not re.fullmatch(r"Page \d+ of \d+", line.strip())]
                self.assertNotIn(lines[-1], headings, f"{n} comments, page {number}")
                if "Areas worse than" in page:
                    holding.append(len(row.findall(page)))
            self.assertEqual(sum(holding), 4, f"{n} comments")
            self.assertGreaterEqual(min(holding), 2, f"{n} comments: rows per page {holding}")
            if len(holding) > 1:
                split.add(n)
        # The sweep did carry the table over a page end.
        self.assertTrue(split)

    def test_tagged_with_headings_and_tables(self):
        _, out = self.write()
        catalog, elements = pdf_structure(out)
        self.assertTrue(catalog["/MarkInfo"]["/Marked"])
        self.assertEqual(catalog["/Lang"], "u:en-US")
        kinds = [kind for kind, _ in elements]
        self.assertEqual(kinds.count("H1"), 7)   # the title and the six sections
        self.assertGreaterEqual(kinds.count("Table"), 6)
        self.assertGreater(kinds.count("TH"), 20)
        self.assertGreater(kinds.count("TD"), kinds.count("TH"))

    def test_page_artifacts_are_marked(self):
        """Running heads and page numbers are artifacts, so a reader of the structure tree
        meets only content; every other text is in a structure element."""
        _, out = self.write()
        brief = self.path("brief.pdf")
        run("export-brief", self.path("demo.tractwise"), "--measure", "asthma_ed", "--period",
            "2021", "--out", brief)
        for path in (out, brief):
            streams = content_streams(path, self.tmp)
            self.assertGreaterEqual(len(streams), 3, path)
            for number, stream in enumerate(streams, start=1):
                untagged, artifacts = untagged_text(stream)
                self.assertEqual(untagged, [], f"{path} page {number}")
                self.assertIn(f"Page {number} of {len(streams)}", artifacts,
                              f"{path} page {number}")
            self.assertEqual(subprocess.run(["qpdf", "--check", path], capture_output=True)
                             .returncode, 0)

    def test_bad_input_is_refused(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        self.assertRefused(project, "export-chna", project, mentions=["--out"])
        self.assertRefused(project, "export-chna", project, "--out", self.path("c.txt"),
                           mentions=[".pdf"])


if __name__ == "__main__":
    unittest.main()
