# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/projects: partner projects through tractwise-cli; every edit through the file,
every bad reference refused with the file unchanged."""
import sqlite3
import unittest

from twtest import CliTestCase, run


class ProjectTests(CliTestCase):
    def setUp(self):
        super().setUp()
        self.p = self.nc_project()
        run("partner", "add", self.p, "--name", "Durham Community Health", "--agreement", "mou")
        run("partner", "add", self.p, "--name", "Wake Faith Network")

    def add_full(self):
        _, out, _ = run("project", "add", self.p, "--title", "Safe sleep",
                        "--aim", "Fewer sudden infant deaths",
                        "--partner", "Durham Community Health:lead",
                        "--partner", "Wake Faith Network",
                        "--areas", "37063,37183, 37135", "--start", "2021-03-01",
                        "--end", "2023-02-28", "--status", "active", "--budget", "125000.50",
                        "--goal-percent", "15", "--notes", "Pilot")
        return out["id"]

    def test_add_show_list_round_trip(self):
        pid = self.add_full()
        self.assertEqual(pid, 1)
        _, shown, _ = run("project", "show", self.p, pid)
        self.assertEqual(shown["title"], "Safe sleep")
        self.assertEqual(shown["aim"], "Fewer sudden infant deaths")
        self.assertEqual(shown["geography"], "nc")
        self.assertEqual(shown["areas"], ["37063", "37135", "37183"])
        self.assertEqual(shown["start"], "2021-03-01")
        self.assertEqual(shown["end"], "2023-02-28")
        self.assertEqual(shown["status"], "active")
        self.assertEqual(shown["budget"], 125000.5)
        self.assertEqual(shown["goal_percent"], 15)
        self.assertEqual(shown["notes"], "Pilot")
        self.assertIsNone(shown["measure"])
        self.assertEqual([(x["name"], x["role"]) for x in shown["partners"]],
                         [("Durham Community Health", "lead"), ("Wake Faith Network", None)])

        _, listed, _ = run("project", "list", self.p)
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["partners"], ["Durham Community Health", "Wake Faith Network"])
        self.assertEqual(listed[0]["areas"], 3)

        _, out, _ = run("project", "set-areas", self.p, pid, "--areas", "37001")
        self.assertEqual(out, {"id": pid, "areas": 1})
        self.assertEqual(run("project", "show", self.p, pid)[1]["areas"], ["37001"])

        _, out, _ = run("project", "milestone", self.p, pid, "--title", "Hire navigators",
                        "--due", "2021-06-30", "--done", "2021-06-15")
        run("project", "milestone", self.p, pid, "--title", "First visits", "--due", "2021-04-01")
        milestones = run("project", "show", self.p, pid)[1]["milestones"]
        self.assertEqual([(m["title"], m["due"], m["done"]) for m in milestones],
                         [("First visits", "2021-04-01", None),
                          ("Hire navigators", "2021-06-30", "2021-06-15")])
        self.assertEqual(out["id"], [m for m in milestones if m["title"] == "Hire navigators"][0]["id"])

        db = sqlite3.connect(self.p)
        actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE action LIKE "
                                            "'project.%' ORDER BY id")]
        db.close()
        self.assertEqual(actions, ["project.add", "project.set-areas", "project.milestone.add",
                                   "project.milestone.add"])

        _, out, _ = run("project", "delete", self.p, pid)
        self.assertEqual(out, {"deleted": pid})
        self.assertEqual(run("project", "list", self.p)[1], [])
        self.assertRefused(self.p, "project", "show", self.p, pid, mentions=["no project"])

    def test_bad_references_change_nothing(self):
        pid = self.add_full()
        p = self.p
        self.assertRefused(p, "project", "add", p, "--title", "X", "--partner", "Nobody Inc",
                           mentions=["Nobody Inc", "Durham Community Health"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--areas", "37001,99999",
                           mentions=["99999"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--start", "2022-01-01",
                           "--end", "2021-12-31", mentions=["before it starts"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--start", "2022-02-30",
                           mentions=["2022-02-30", "YYYY-MM-DD"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--end", "next year",
                           mentions=["next year"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--status", "done",
                           mentions=["done", "planned"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--budget", "lots",
                           mentions=["--budget"])
        self.assertRefused(p, "project", "add", p, "--title", "X", "--measure", "nope",
                           mentions=["nope"])
        self.assertRefused(p, "project", "add", p, "--aim", "no title", mentions=["--title"])
        self.assertRefused(p, "project", "set-areas", p, pid, "--areas", "37001,00000",
                           mentions=["00000"])
        self.assertRefused(p, "project", "set-areas", p, "42", "--areas", "37001",
                           mentions=["42"])
        self.assertRefused(p, "project", "milestone", p, pid, "--title", "T", "--due",
                           "2021-13-01", mentions=["2021-13-01"])
        self.assertRefused(p, "project", "milestone", p, "abc", "--title", "T", "--due",
                           "2021-01-01", mentions=["abc"])
        self.assertRefused(p, "project", "delete", p, "7", mentions=["7"])
        # The good project is as it was.
        shown = run("project", "show", p, pid)[1]
        self.assertEqual(shown["areas"], ["37063", "37135", "37183"])
        self.assertEqual(shown["milestones"], [])


if __name__ == "__main__":
    unittest.main()
