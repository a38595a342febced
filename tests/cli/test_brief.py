# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/brief: tractwise-cli export-brief writes the board brief: a multi-page PDF with the
map, disparities, projects, trends, methods and the policy; nothing suppressed in it, every
pooled figure over published counts only, evaluations in plain words."""
import collections
import math
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

from exporttest import (K, audit_actions, make_demo, overlapping_words, pdf_font_sizes,
                        pdf_pages, pdf_structure, pdf_text, pdf_words, temp_dir)
from twtest import CLI, CliTestCase, fixture, run

DEMO_DIR = None
DEMO = None


def setUpModule():
    global DEMO_DIR, DEMO
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)


def flat(text):
    return " ".join(text.split())


def sig3(value):
    """A figure as the brief prints it: 3 significant figures, grouped, with a true minus."""
    if value == 0:
        return "0"
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.{max(0, 2 - math.floor(math.log10(abs(rounded))))}f}".replace("-", "−")


def significant_digits(token):
    digits = token.replace(",", "").replace("−", "").replace("-", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.strip("0")) or 1


def published_rates(project, period, measure="asthma_ed"):
    """The published view of `rates`: a hidden count is null there."""
    _, rows, _ = run("rates", project, "--measure", measure, "--period", period)
    return rows


def group_name(stratum):
    return "All groups" if stratum == "all" else stratum.capitalize()


def trend_groups(project, measure, periods):
    """Each group's trend as `rates` publishes it: "shown" when a period's shown counts hold
    at least 80% of the group's population (tw-brief.c, MIN_POOLED_POPULATION), else
    "suppressed" when no count of it is shown in any period, else "too few"."""
    pooled, any_count = collections.defaultdict(bool), collections.defaultdict(bool)
    for period in periods:
        cells = collections.defaultdict(list)
        for r in published_rates(project, period, measure):
            cells[r["stratum"]].append(r)
        for stratum, rows in cells.items():
            shown = [r for r in rows if r["numerator"] is not None]
            any_count[stratum] |= bool(shown)
            pooled[stratum] |= bool(shown) and (sum(r["denominator"] for r in shown)
                                                >= 0.8 * sum(r["denominator"] for r in rows))
    return {stratum: "shown" if pooled[stratum] else "too few" if any_count[stratum]
            else "suppressed" for stratum in pooled}


def demo_copy(test, folder="."):
    os.makedirs(test.path(folder), exist_ok=True)
    project = test.path(os.path.join(folder, "demo.tractwise"))
    shutil.copy(DEMO, project)
    return project


def brief_text(project, name):
    out = os.path.join(os.path.dirname(project), name)
    run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
    return flat(pdf_text(out))


class BriefTest(CliTestCase):
    def test_brief_pages_and_contents(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        n = pdf_pages(out)
        self.assertGreaterEqual(n, 6)
        text = flat(pdf_text(out))
        version = subprocess.run([CLI, "--version"], capture_output=True, text=True,
                                 check=True).stdout.split()[-1]
        for expected in ["Board brief", "Asthma emergency visits (synthetic)",
                         "Demonstration data", "Page 1 of", f"Page {n} of {n}",
                         "The map", "Rate per 10,000", f"Suppressed (fewer than {K} events)",
                         "No data", "largest disparities", "Rate ratio (95% CI)",
                         "Groups across the region", "Partner projects", "Asthma home visits",
                         "Dorchester Family Health (lead)", "Roxbury Youth League", "Active",
                         "2020-01-01", "Trends", "Methods", "Wilson", "Garwood", "Empirical Bayes",
                         "quantile", "Suppression policy", f"Counts of 1 to {K - 1}",
                         f"k = {K}", "Data sources and vintages", "boston_tracts.shp", "1970",
                         "boston-asthma_ed-SYNTHETIC.csv", f"Tractwise {version}"]:
            self.assertIn(expected, text)
        # Contacts are not for the board.
        self.assertNotIn("ana@dfh.example.org", text)
        self.assertEqual(audit_actions(project).count("export-brief"), 1)

    def test_preset_and_unreliable_left_out(self):
        """The brief names the preset and its reliability rule, and its ranking of
        disparities leaves out the pairs the CLI calls unreliable, saying how many."""
        project = demo_copy(self)
        run("policy", project, "--preset", "wisqars")
        _, d, _ = run("disparities", project, "--measure", "asthma_ed", "--period", "2021")
        unreliable = [r for r in d["areas"] if r["stratum"] != "all"
                      and r["status"] == "unreliable" and r["ratio"] is not None
                      and r["ratio"] > 1]
        self.assertTrue(unreliable, "the demo has no unreliable pair to leave out")
        text = brief_text(project, "brief.pdf")
        self.assertIn("preset wisqars, version 2023", text)
        self.assertIn("Rates from 20 or fewer events are marked unreliable", text)
        n = len(unreliable)
        self.assertIn(f"and {n} pair{'' if n == 1 else 's'} with an unreliable rate "
                      f"{'is' if n == 1 else 'are'} left out", text)

    def test_pages_are_typeset(self):
        # Read as a board member would: no text under 7 points; every page with the same
        # margins, its text inside them; no word set over another (the trends' axis labels
        # once ran into each other); a running head and a page number on every page after
        # the cover.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        self.assertGreaterEqual(min(pdf_font_sizes(out)), 7.0)
        pages = pdf_words(out)
        left = min(w[0] for _, _, words in pages for w in words)
        for n, (width, height, words) in enumerate(pages, 1):
            self.assertAlmostEqual(min(w[0] for w in words), left, delta=0.5)
            self.assertLessEqual(max(w[2] for w in words), width - left + 0.5, f"page {n}")
            self.assertGreaterEqual(min(w[1] for w in words), left / 2, f"page {n}")
            self.assertLessEqual(max(w[3] for w in words), height - left / 2, f"page {n}")
            self.assertEqual(overlapping_words(words), [], f"page {n}")
            text = " ".join(w[4] for w in words)
            self.assertIn(f"Page {n} of {len(pages)}", text)
            if n > 1:
                self.assertIn("Board brief", text)

    def test_board_cover_and_words(self):
        # A board reads the cover first: the organisation, the source line it was given and
        # three key messages drawn from figures the brief prints; nowhere a code.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out,
            "--organisation", "Eastside Medical Center", "--source", "EHR extract of May 2022")
        pages = flat(pdf_text(out)).split("Page 1 of")
        cover, rest = pages[0], pages[1]
        self.assertIn("Eastside Medical Center · Board brief", cover)
        self.assertIn("Source: EHR extract of May 2022.", cover)
        self.assertIn("Eastside Medical Center · Board brief", rest)   # the running head
        self.assertNotIn("demo · Board brief", rest)
        for code in ["asthma_ed", "black", "hispanic", "active", "planned", "diabetes_uncontrolled"]:
            self.assertIsNone(re.search(rf"(?<![-\w]){code}(?![-\w])", cover + rest), code)

        # The largest gap is the disparity table's first row, with its interval, and the
        # table runs from the largest ratio down.
        table = re.findall(r"\) (Black|Hispanic|Asian|White) [\d.,]+ \([^)]*\) [\d.,]+ "
                           r"\([^)]*\) ([\d.]+) \(([\d.]+)–([\d.]+)\)", rest)
        self.assertGreater(len(table), 3)
        ratios = [float(r[1]) for r in table]
        self.assertEqual(ratios, sorted(ratios, reverse=True))
        group, ratio, lo, hi = table[0]
        self.assertIn(f"Largest gap. In ", cover)
        self.assertIn(f"the {group} group's rate was {ratio} times the area's rate for all "
                      f"groups (95% interval {lo} to {hi})", cover)

        # The largest change is between two of the trends' printed figures of one group.
        change = re.search(r"Largest change\. ([\w ]+): ([\d.,]+ \([^)]*\)) in (\d+), "
                           r"([\d.,]+ \([^)]*\)) in (\d+)", cover)
        self.assertIsNotNone(change)
        regional = re.search(r"Region's rate ([\d.,]+ \([^)]*\))", cover).group(1)
        self.assertEqual(change.group(4), regional)
        self.assertEqual(change.group(5), "2021")
        # Judged by a test of the difference (issue 19), never by overlapping intervals.
        self.assertRegex(cover, r"Largest change\.[^•]*a test of the difference (puts it "
                                r"beyond chance|cannot tell it from chance)")
        self.assertNotIn("overlap", cover)
        # The verdicts: one project evaluated (no change), one not evaluated.
        self.assertIn("Partner projects. Of 2, 0 improved, 0 worsened, 1 changed no more than "
                      "their comparison areas and 1 was not evaluated or withheld.", cover)

    def test_tagged_for_screen_readers(self):
        # Section 508: tagged, in reading order, headings, tables with header cells, and
        # every figure (the map, the projects' map, each group's trend) with alternative
        # text drawn from the figures the brief prints.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        info = subprocess.run(["pdfinfo", out], capture_output=True, text=True,
                              check=True).stdout
        self.assertRegex(info, r"Tagged:\s+yes")
        self.assertRegex(info, r"Title:\s+Asthma emergency visits \(synthetic\)")
        subprocess.run(["qpdf", "--check", out], capture_output=True, check=True)
        catalog, elements = pdf_structure(out)
        self.assertEqual(catalog["/Lang"], "u:en-US")
        kinds = [kind for kind, _ in elements]
        self.assertEqual(kinds[0], "Document")
        self.assertEqual(kinds[1:3], ["P", "H1"])   # the kicker, then the title
        for kind in ("H2", "L", "LI", "Table", "TR", "TH", "TD"):
            self.assertIn(kind, kinds)
        figures = [e.get("/Alt", "") for kind, e in elements if kind == "Figure"]
        # The map, the projects' map and the trend of each group that has one.
        groups = trend_groups(project, "asthma_ed", ("2019", "2020", "2021"))
        self.assertEqual(len(figures), 2 + list(groups.values()).count("shown"))
        self.assertTrue(all(alt.startswith("u:") and len(alt) > 40 for alt in figures))
        self.assertTrue(figures[0].startswith("u:Choropleth map of Asthma emergency visits"))
        self.assertIn("Asthma home visits (5 target areas)", figures[1])
        cover = flat(pdf_text(out)).split("Page 1 of")[0]
        regional = re.search(r"Region's rate ([\d.,]+ \([^)]*\))", cover).group(1)
        self.assertIn(f"2021 {regional}", figures[2])   # all groups' trend
        self.assertFalse(any("no period may be shown" in alt for alt in figures))

    def test_organisation_from_the_workspace(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        with sqlite3.connect(project) as db:
            db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES "
                       "('organisation', 'Northside Hospital')")
        db.close()
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        self.assertIn("Northside Hospital · Board brief", flat(pdf_text(out)))

    def test_nothing_suppressed_is_printed(self):
        # With a threshold above every count, every figure is suppressed: the brief must
        # say so and print no rate, interval or ratio at all.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        run("policy", project, "--min-count", "1000000")
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        text = flat(pdf_text(out))
        self.assertIn("Counts of 1 to 999999", text)
        self.assertIn("withheld under the suppression policy", text)
        self.assertIn("No area has a group whose figures may be shown", text)
        # No trends page of empty charts.
        self.assertNotIn("Trends The region's rate", text)
        self.assertNotIn("No period", text)
        self.assertIn("Withheld under the suppression policy: no target", text)   # evaluation
        self.assertNotIn("(95% interval)", text.split("Region's rate")[1][:60])

    def test_region_pools_published_counts_only(self):
        # Every group's region rate, its number of areas and its shares, worked out here from
        # the counts `rates` publishes (a hidden one is null there), must be what the brief
        # prints, at 3 significant figures.
        project = demo_copy(self)
        text = brief_text(project, "brief.pdf")
        rows = published_rates(project, "2021")
        by_area = collections.defaultdict(dict)
        for r in rows:
            by_area[r["geoid"]][r["stratum"]] = r
        groups = text.split("Groups across the region")[1].split("Page ")[0]
        table = groups.split("Share of population")[1]
        for stratum in ("all", "asian", "black", "hispanic", "white"):
            cells = [a[stratum] for a in by_area.values() if stratum in a]
            shown = [c for c in cells if c["numerator"] is not None]
            rate = sum(c["numerator"] for c in shown) / sum(c["denominator"] for c in shown) * 1e4
            both = [a for a in by_area.values() if stratum in a
                    and a[stratum]["numerator"] is not None and a["all"]["numerator"] is not None]
            share = (sum(a[stratum]["numerator"] for a in both)
                     / sum(a["all"]["numerator"] for a in both))
            population = (sum(a[stratum]["denominator"] for a in both)
                          / sum(a["all"]["denominator"] for a in both))
            name = "All groups" if stratum == "all" else stratum.capitalize()
            # A pool of too little of the group's population is withheld: the counts left
            # out are the small ones, so it would lean (tw-brief.c, MIN_POOLED_POPULATION).
            population_all = sum(c["denominator"] for c in cells)
            if sum(c["denominator"] for c in shown) < 0.8 * population_all:
                row = re.search(re.escape(name) + r" too few shown (\d+) of (\d+) ", table)
                self.assertIsNotNone(row, f"{name}: {table}")
                self.assertEqual((int(row.group(1)), int(row.group(2))),
                                 (len(shown), len(cells)))
                continue
            row = re.search(re.escape(name) + r" (\S+) \((\S+)–(\S+)\) (\d+) of (\d+) (\S+)% (\S+)%",
                            table)
            self.assertIsNotNone(row, f"{name}: {table}")
            self.assertEqual(row.group(1), sig3(rate), name)
            self.assertEqual((int(row.group(4)), int(row.group(5))), (len(shown), len(cells)))
            self.assertEqual(row.group(6), sig3(100 * share), name)
            self.assertEqual(row.group(7), sig3(100 * population), name)
            if stratum == "all":
                self.assertIn(f"Region's rate {sig3(rate)} (", text)
                self.assertIn(f"over {len(shown)} of {len(cells)} areas whose counts are shown",
                              text)
            # Publication precision for every figure of the row.
            for token in row.groups()[:3] + row.groups()[5:]:
                self.assertLessEqual(significant_digits(token), 3, f"{name}: {token}")

        # The trends say over how many areas each group's points pool.
        counts = collections.defaultdict(list)
        totals = collections.defaultdict(int)
        for period in ("2019", "2020", "2021"):
            per = collections.Counter()
            for r in published_rates(project, period):
                totals[(period, r["stratum"])] += 1
                per[r["stratum"]] += r["numerator"] is not None
            for stratum, n in per.items():
                counts[stratum].append(n)
        trends = text.split("Trends")[-1]
        groups = trend_groups(project, "asthma_ed", ("2019", "2020", "2021"))
        for stratum, n in counts.items():
            most = max(totals[(p, stratum)] for p in ("2019", "2020", "2021"))
            span = str(n[0]) if min(n) == max(n) else f"{min(n)}–{max(n)}"
            self.assertEqual(f"Over {span} of {most} areas with counts shown" in trends,
                             groups[stratum] == "shown", stratum)

        # Nowhere a figure with more than 3 significant digits in the disparity table.
        disparities = text.split("Rate ratio (95% CI)")[1].split("Groups across the region")[0]
        for token in re.findall(r"(?<![(\d])[−-]?\d[\d,]*\.\d+|(?<=\s)\d+(?=\s\()", disparities):
            self.assertLessEqual(significant_digits(token), 3, token)

    def test_trading_hidden_counts_changes_nothing(self):
        # Two suppressed counts of the same measure, period and group trade places (the
        # totals of tracts 0707 and 4061 in 2021): the brief reads the same, word for word.
        first = demo_copy(self, "a")
        second = demo_copy(self, "b")
        key = ("measure_id = (SELECT id FROM measure WHERE code = 'asthma_ed') "
               "AND area_id = (SELECT id FROM area WHERE geoid = ?) "
               "AND period_id = (SELECT id FROM period WHERE label = '2021') "
               "AND stratum_id = (SELECT id FROM stratum WHERE label = 'all') "
               "AND age_group_id = (SELECT id FROM age_group WHERE label = '')")
        with sqlite3.connect(second) as con:
            x, y = (con.execute("SELECT numerator FROM outcome_value WHERE " + key,
                                (geoid,)).fetchone()[0] for geoid in ("0707", "4061"))
            self.assertTrue(0 < x < K and 0 < y < K and x != y, (x, y))
            con.execute("UPDATE outcome_value SET numerator = ? WHERE " + key, (y, "0707"))
            con.execute("UPDATE outcome_value SET numerator = ? WHERE " + key, (x, "4061"))
        con.close()
        self.maxDiff = None
        self.assertEqual(brief_text(first, "brief.pdf"), brief_text(second, "brief.pdf"))

    def test_trends_of_the_groups_with_figures(self):
        """A measure with few groups shown: a chart for each of them on one y-axis, one
        sentence naming the others and why, and no empty panel; no page at all when no group
        has a figure."""
        project = demo_copy(self)
        periods = ("2019", "2020", "2021")
        for measure in ("preterm_birth", "diabetes_uncontrolled"):
            groups = trend_groups(project, measure, periods)
            shown = [g for g, status in groups.items() if status == "shown"]
            self.assertTrue(shown and len(shown) < len(groups), groups)
            out = self.path(f"{measure}.pdf")
            run("export-brief", project, "--measure", measure, "--period", "2021", "--out", out)
            text = flat(pdf_text(out))
            trends = text[text.index("Trends The region's rate"):text.index("Change from")]
            self.assertNotIn("No period", trends)
            for stratum, status in groups.items():
                name = group_name(stratum)
                self.assertEqual(f"{name} Over " in trends, status == "shown", name)
            left_out = re.search(r"Not shown: (.*?)\.", trends).group(1)
            for stratum, status in groups.items():
                name = group_name(stratum)
                if status == "shown":
                    self.assertNotIn(name, left_out)
                else:
                    clause = (", whose counts are all suppressed" if status == "suppressed"
                              else ", as in every period the areas whose counts are shown hold "
                                   "less than 80%")
                    self.assertRegex(left_out, re.escape(name) + r"[A-Za-z ,]*" +
                                     re.escape(clause))
            _, elements = pdf_structure(out)
            alts = [e.get("/Alt", "") for kind, e in elements if kind == "Figure"][2:]
            self.assertEqual([re.search(r"Trend of the rate for (.*?),", alt).group(1)
                              for alt in alts],
                             [group_name(g) for g in shown])
            # The charts share their scale: each has the same labels on its y-axis (right-
            # aligned in the gutter left of its plot, 34 points from the chart's left edge).
            page = next(words for _, _, words in pdf_words(out)
                        if "Trends" in [w[4] for w in words[:12]])
            edges = (54 + 34, 54 + 240 + 24 + 34)
            ticks = collections.Counter(w[4] for w in page if re.fullmatch(r"[\d.,]+", w[4])
                                        and min(abs(w[2] - e) for e in edges) < 1.5)
            self.assertGreaterEqual(len(ticks), 3, ticks)
            self.assertEqual(set(ticks.values()), {len(shown)}, ticks)

        # Nothing shown: no trends page.
        run("policy", project, "--min-count", "1000000")
        out = self.path("none.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        self.assertNotIn("Trends The region's rate", flat(pdf_text(out)))

    def test_gap_over_time_names_the_groups_it_cannot_show(self):
        """The change page's gap table has a row for each group whose pooled figures are
        shown in both periods, and one sentence naming the others; never a row of dashes.
        In the demo's asthma visits no group's pooled figure is shown in 2019."""
        project = demo_copy(self)
        start = trend_groups(project, "asthma_ed", ("2019",))
        end = trend_groups(project, "asthma_ed", ("2021",))
        groups = {g: "shown" if start[g] == end[g] == "shown" else "not" for g in start}
        self.assertTrue(any(status != "shown" for status in groups.values()), groups)
        text = brief_text(project, "gap.pdf")
        gap = text[text.index("The gap over time"):text.index("Methods")]
        self.assertNotIn("–  –", gap.replace("– –", "–  –"))
        sentence = re.search(r"(Not shown|No group's gap can be shown): (.*?), as too few",
                             gap)
        self.assertIsNotNone(sentence, gap)
        for stratum, status in groups.items():
            if stratum == "all":
                continue
            name = group_name(stratum)
            self.assertEqual(name in sentence.group(2), status != "shown", (name, gap))

    def test_evaluation_in_plain_words(self):
        # The demo's asthma project: its DiD's interval holds 0, so the brief says so, with
        # no progress toward the goal.
        project = demo_copy(self)
        _, e, _ = run("project", "evaluate", project, 1)
        self.assertLess(e["did_lower"], 0)
        self.assertGreater(e["did_upper"], 0)
        text = brief_text(project, "brief.pdf")
        table = text.split("Evaluation", 1)[1].split("Trends")[0]
        first = table.split(" 2 School diabetes")[0]
        self.assertIn("Not distinguishable from the change in the comparison areas", first)
        self.assertIn(f"DiD {sig3(e['did'])} per 10,000, 95% interval {sig3(e['did_lower'])} to "
                      f"{sig3(e['did_upper'])}", first)
        self.assertNotIn("of the goal", first)
        self.assertNotIn("of goal", text)

        # Halve the targets' visits after the start: the interval now lies below 0, and the
        # brief gives the progress with its interval, as `project evaluate` measures it.
        with sqlite3.connect(project) as con:
            con.execute("UPDATE outcome_value SET numerator = max (11, round (numerator * 0.5)) "
                        "WHERE measure_id = (SELECT id FROM measure WHERE code = 'asthma_ed') "
                        "AND area_id IN (SELECT id FROM area WHERE geoid IN "
                        "('0901', '0902', '0903', '0904', '0905')) AND period_id IN "
                        "(SELECT id FROM period WHERE label IN ('2020', '2021')) "
                        "AND stratum_id = (SELECT id FROM stratum WHERE label = 'all')")
        con.close()
        _, e, _ = run("project", "evaluate", project, 1)
        self.assertEqual(e["verdict"], "improved")
        text = brief_text(project, "improved.pdf")
        def percent(fraction):   # whole percents
            return f"{round(100 * fraction):,}".replace("-", "−")

        self.assertIn(f"Improved: {percent(e['goal_progress'])}% of the goal (95% interval "
                      f"{percent(e['goal_progress_lower'])}% to "
                      f"{percent(e['goal_progress_upper'])}%)", text)

    def test_dictionary_summary_and_no_empty_projects_page(self):
        """The methods page summarises the attributes' data dictionary; a workspace without
        projects gets no page that only says so, and the cover says it in one line."""
        project = self.path("plain.tractwise")
        subprocess.run([os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), "build-aux", "make-demo"), CLI, project], check=True)
        run("import-attributes", project, fixture("attributes", "nc-svi-like.csv"),
            "--geography", "North Carolina counties")
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "sids", "--period", "1979-1984", "--out", out)
        text = flat(pdf_text(out))
        methods = text[text.index("Methods"):]
        self.assertIn("summarised by source", methods)
        self.assertIn("CDC/ATSDR Social Vulnerability Index (nc-svi-like.csv), on North "
                      "Carolina counties", methods)
        self.assertIn("public domain (CDC/ATSDR)", methods)
        self.assertIn("-999 (could not be computed)", methods)
        self.assertIn("areas ranked within the United States", methods)
        self.assertNotIn("Partner projects Of", text)
        self.assertIn("None is recorded in the workspace yet, so this brief has no page of "
                      "projects.", text)
        self.assertNotIn("No partner projects", text)
        # The demo with projects still has their page; without them one page fewer.
        with_projects = self.path("with.pdf")
        shutil.copy(DEMO, self.path("demo.tractwise"))
        run("export-brief", self.path("demo.tractwise"), "--measure", "sids", "--period",
            "1979-1984", "--out", with_projects)
        self.assertEqual(pdf_pages(with_projects), pdf_pages(out) + 1)

    def test_bad_input_is_refused(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        self.assertRefused(project, "export-brief", project, "--measure", "asthma_ed",
                           "--period", "2021", "--out", self.path("brief.png"),
                           mentions=[".pdf"])
        self.assertRefused(project, "export-brief", project, "--measure", "asthma_ed",
                           "--period", "1999", "--out", self.path("brief.pdf"),
                           mentions=["--period"])
        self.assertRefused(project, "export-brief", project, "--measure", "nope",
                           "--period", "2021", "--out", self.path("brief.pdf"))


if __name__ == "__main__":
    unittest.main()
