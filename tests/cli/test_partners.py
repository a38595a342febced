# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/partners: the partner registry through tractwise-cli."""
import sqlite3
import unittest

from twtest import CliTestCase, run


class PartnerTests(CliTestCase):
    def test_add_and_list_round_trip(self):
        p = self.new_project()
        _, out, _ = run("partner", "add", p, "--name", "Eastside Health Collaborative",
                        "--kind", "community-based organization", "--contact", "Ana Ruiz",
                        "--email", "ana@eastside.example.org", "--phone", "919-555-0100",
                        "--agreement", "dua", "--notes", "Meets monthly")
        self.assertEqual(out, {"id": 1})
        _, out, _ = run("partner", "add", p, "--name", "Church of the Good Shepherd")
        self.assertEqual(out, {"id": 2})

        _, partners, _ = run("partner", "list", p)
        self.assertEqual([x["name"] for x in partners],
                         ["Church of the Good Shepherd", "Eastside Health Collaborative"])
        east = partners[1]
        self.assertEqual(east["id"], 1)
        self.assertEqual(east["kind"], "community-based organization")
        self.assertEqual(east["agreement"], "dua")
        self.assertEqual(east["email"], "ana@eastside.example.org")
        self.assertEqual(east["projects"], [])
        self.assertEqual(partners[0]["agreement"], "none")

        # Stored in the file, with one audit row per edit.
        db = sqlite3.connect(p)
        self.assertEqual(db.execute("SELECT contact, phone, notes FROM partner WHERE id = 1")
                         .fetchone(), ("Ana Ruiz", "919-555-0100", "Meets monthly"))
        self.assertEqual(db.execute("SELECT count(*) FROM audit_log WHERE action = "
                                    "'partner.add'").fetchone()[0], 2)
        db.close()

    def test_bad_input_changes_nothing(self):
        p = self.new_project()
        run("partner", "add", p, "--name", "Westside Clinic")
        self.assertRefused(p, "partner", "add", p, "--name", "Westside Clinic",
                           mentions=["already a partner named 'Westside Clinic'"])
        self.assertRefused(p, "partner", "add", p, "--name", "Library", "--agreement", "nda",
                           mentions=["nda", "mou", "dua"])
        self.assertRefused(p, "partner", "add", p, "--kind", "school", mentions=["--name"])
        self.assertRefused(p, "partner", "add", p, "--name", "Library", "--email", "nobody",
                           mentions=["e-mail"])
        self.assertRefused(p, "partner", "delete", p, "Nobody", mentions=["Nobody"])
        self.assertRefused(p, "partner", "frobnicate", p, mentions=["add, list, delete"])

    def test_delete_used_partner_is_refused_naming_the_project(self):
        p = self.nc_project()
        run("partner", "add", p, "--name", "School Nurses Network")
        run("partner", "add", p, "--name", "Library")
        run("project", "add", p, "--title", "Asthma home visits",
            "--partner", "School Nurses Network:outreach")
        _, partners, _ = run("partner", "list", p)
        nurses = [x for x in partners if x["name"] == "School Nurses Network"][0]
        self.assertEqual(nurses["projects"],
                         [{"id": 1, "title": "Asthma home visits", "role": "outreach"}])

        line = self.assertRefused(p, "partner", "delete", p, "School Nurses Network",
                                  mentions=["Asthma home visits", "School Nurses Network"])
        self.assertIn("remove it", line)

        _, out, _ = run("partner", "delete", p, "Library")
        self.assertEqual(out, {"deleted": 2})
        _, partners, _ = run("partner", "list", p)
        self.assertEqual([x["name"] for x in partners], ["School Nurses Network"])

        # Once its project is gone, it may go too (here by id).
        run("project", "delete", p, "1")
        run("partner", "delete", p, "1")
        self.assertEqual(run("partner", "list", p)[1], [])


if __name__ == "__main__":
    unittest.main()
