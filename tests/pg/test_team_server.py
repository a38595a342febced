# SPDX-License-Identifier: GPL-3.0-or-later
"""/pg/team-server: workspaces on a real PostgreSQL 15 + PostGIS server (a throw-away one on
a Unix socket): publish and checkout give the file back, two writers lose nothing, the
server refuses raw counts to a partner, and a second client hears a colleague's commit."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import pgserver  # noqa: E402
from twtest import CliTestCase, fingerprint, run  # noqa: E402

WATCH = sys.argv.pop(1) if len(sys.argv) > 1 else None
DOCUMENT = sys.argv.pop(1) if len(sys.argv) > 1 else None
SERVER = None
DEMO = None


def setUpModule():
    global SERVER, DEMO
    pgserver.skip_unless_available()
    SERVER = pgserver.Server()
    SERVER.__enter__()
    DEMO = os.path.join(SERVER.folder, "demo.tractwise")
    # The replicas of server workspaces (one per login) live in the cache folder.
    os.environ["XDG_CACHE_HOME"] = os.path.join(SERVER.folder, "cache")


def tearDownModule():
    if SERVER is not None:
        SERVER.__exit__(None, None, None)


class TeamServerCase(CliTestCase):
    """A demo file with two partners and two projects, published as workspace @name."""

    workspaces = 0

    def publish_demo(self, prefix):
        # A new workspace each time: one server serves the whole module.
        TeamServerCase.workspaces += 1
        name = f"{prefix}{TeamServerCase.workspaces}"
        self.workspace = name
        demo = self.path("demo.tractwise")
        if not os.path.exists(DEMO):
            run("demo", DEMO)
        shutil.copyfile(DEMO, demo)
        run("partner", "add", demo, "--name", "Eastside Health Collaborative",
            "--agreement", "dua", "--notes", "Meets monthly")
        run("partner", "add", demo, "--name", "Good Shepherd Church")
        run("project", "add", demo, "--title", "Asthma home visits",
            "--partner", "Eastside Health Collaborative:lead", "--measure", "asthma_ed",
            "--geography", "Boston tracts", "--areas", "0001,0002,0003",
            "--start", "2020-01-01", "--status", "active", "--budget", "125000.5",
            "--goal-percent", "10")
        run("project", "add", demo, "--title", "Safe sleep classes",
            "--partner", "Good Shepherd Church", "--measure", "sids",
            "--geography", "North Carolina counties", "--areas", "37001,37003")
        run("project", "milestone", demo, "1", "--title", "First 50 homes", "--due",
            "2020-06-30")
        uri = SERVER.uri(name)
        _, out, _ = run("publish", demo, uri)
        self.assertEqual(out["workspace"], name)
        self.assertGreater(out["published_figures"], 20000)
        return demo, uri

    def sql(self, sql, **kw):
        """Runs SQL through psql; @ws. names the workspace's schema."""
        return SERVER.psql(sql.replace("@ws.", f"tractwise_{self.workspace}."), **kw)


class RoundTripTests(TeamServerCase):
    def test_publish_then_checkout_gives_the_file_back(self):
        demo, uri = self.publish_demo("roundtrip")
        copy = self.path("copy.tractwise")
        run("checkout", uri, copy)

        _, info, _ = run("info", demo)
        for measure in info["measures"]:
            for period in measure["periods"]:
                args = ("--measure", measure["code"], "--period", period)
                self.assertEqual(run("rates", demo, *args)[1], run("rates", copy, *args)[1],
                                 f"rates of {measure['code']} {period}")
        self.assertEqual(run("project", "list", demo)[1], run("project", "list", copy)[1])
        self.assertEqual(run("project", "show", demo, "1")[1],
                         run("project", "show", copy, "1")[1])
        self.assertEqual(run("partner", "list", demo)[1], run("partner", "list", copy)[1])
        self.assertEqual(run("info", copy)[1], info)
        self.assertEqual(run("policy", demo)[1], run("policy", copy)[1])
        # The geometry went through PostGIS and came back byte for byte.
        with sqlite3.connect(demo) as a, sqlite3.connect(copy) as b:
            query = "SELECT geoid, geom, min_lon, max_lat FROM area ORDER BY id"
            self.assertEqual(a.execute(query).fetchall(), b.execute(query).fetchall())
        self.assertEqual(self.sql("SELECT count (*) FROM @ws.area"
                                  " WHERE NOT ST_IsValid (geom) OR ST_SRID (geom) <> 4326")
                         .stdout.strip(), "0")

    def test_a_service_from_pg_service_conf_names_the_server(self):
        demo, uri = self.publish_demo("service")
        conf = self.path("pg_service.conf")
        with open(conf, "w") as f:
            f.write(f"[team]\nhost={SERVER.socket}\ndbname=tw\nuser=tw_admin\n")
        os.environ["PGSERVICEFILE"] = conf
        try:
            copy = self.path("copy.tractwise")
            run("checkout", f"service=team workspace={self.workspace}", copy)
        finally:
            del os.environ["PGSERVICEFILE"]
        self.assertEqual(run("project", "list", copy)[1], run("project", "list", demo)[1])

    def test_publish_refuses_a_workspace_that_holds_data(self):
        demo, uri = self.publish_demo("twice")
        status, _, err = run("publish", demo, uri, check=False)
        self.assertEqual(status, 2)
        self.assertIn("already holds data", err)
        self.assertEqual(err.count("\n"), 1)

    def test_bad_uris_are_refused_with_one_line(self):
        demo = self.path("d.tractwise")
        run("new", demo)
        cases = [
            (f"postgresql://tw_admin:secret@localhost/tw?workspace=x", "password"),
            (f"postgresql:///tw?host={SERVER.socket}&user=tw_admin", "workspace=NAME"),
            (f"postgresql:///tw?host={SERVER.socket}&workspace=Bad-Name", "not valid"),
        ]
        for uri, words in cases:
            status, _, err = run("publish", demo, uri, check=False)
            self.assertEqual(status, 2, uri)
            self.assertIn(words, err)
            self.assertEqual(err.count("\n"), 1, err)
        status, _, err = run("checkout", SERVER.uri("nothing_here"), self.path("c.tractwise"),
                             check=False)
        self.assertEqual(status, 2)
        self.assertIn("no workspace 'nothing_here'", err)
        self.assertFalse(os.path.exists(self.path("c.tractwise")))

    def test_checkin_wants_a_checkout_of_that_workspace(self):
        demo, uri = self.publish_demo("origin")
        origin = self.workspace
        before = fingerprint(demo)
        status, _, err = run("checkin", demo, uri, check=False)
        self.assertEqual(status, 2)
        self.assertIn("is not a checkout of a team workspace", err)
        self.assertEqual(fingerprint(demo), before)
        copy = self.path("copy.tractwise")
        run("checkout", uri, copy)
        # A record edited by hand is refused with a message, never an assertion.
        hand = self.path("hand.tractwise")
        shutil.copyfile(copy, hand)
        for record in ('{"workspace": "%s", "tables": {"project": {"1": []}}}' % origin,
                       '{"workspace": 7, "tables": {}}',
                       '{"workspace": "%s", "tables": {"project": {"1": {"version": "x",'
                       ' "server": [1], "file": ""}}}}' % origin):
            with sqlite3.connect(hand) as db:
                db.execute("UPDATE setting SET value = ? WHERE key = 'team.checkout'",
                           (record,))
            db.close()
            status, _, err = run("checkin", hand, uri, check=False)
            self.assertEqual(status, 2, err)
            self.assertIn("is not a checkout of a team workspace", err)
        _, other = self.publish_demo("other")
        status, _, err = run("checkin", copy, other, check=False)
        self.assertEqual(status, 2)
        self.assertIn(f"was checked out of workspace '{origin}', not '{self.workspace}'", err)


class TwoWritersTests(TeamServerCase):
    def setUp(self):
        super().setUp()
        self.demo, self.uri = self.publish_demo("writers")
        for user in ("alice", "bob"):
            run("member", "add", self.uri, "--user", user, "--role", "analyst")
        self.alice = SERVER.uri(self.workspace, user="alice")
        self.bob = SERVER.uri(self.workspace, user="bob")

    def areas(self, path, project):
        return run("project", "show", path, str(project))[1]["areas"]

    def test_the_second_writer_gets_the_conflict_and_nothing_is_lost(self):
        a, b = self.path("alice.tractwise"), self.path("bob.tractwise")
        run("checkout", self.alice, a)
        run("checkout", self.bob, b)
        run("project", "set-areas", a, "1", "--areas", "0001,0004")
        run("project", "set-areas", b, "1", "--areas", "0005")
        # Bob also edits a project Alice left alone, and adds a milestone.
        run("project", "set-areas", b, "2", "--areas", "37005")
        _, out, _ = run("checkin", a, self.alice)
        self.assertEqual(out["updated"], 1)

        status, _, err = run("checkin", b, self.bob, check=False)
        self.assertEqual(status, 2, err)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn('project 1 "Asthma home visits" was changed by alice', err)
        self.assertIn("nothing was checked in", err)

        # The server holds Alice's edit and none of Bob's; Bob's file keeps his.
        check = self.path("check.tractwise")
        run("checkout", self.uri, check)
        self.assertEqual(sorted(self.areas(check, 1)), ["0001", "0004"])
        self.assertEqual(sorted(self.areas(check, 2)), ["37001", "37003"])
        self.assertEqual(self.areas(b, 1), ["0005"])
        self.assertEqual(self.areas(b, 2), ["37005"])
        # Alice's file took the server's rows back and checks in again cleanly.
        self.assertEqual(run("checkin", a, self.alice)[1],
                         {"updated": 0, "added": 0, "deleted": 0})

        # The trail names who changed what.
        trail = self.sql("SELECT who || ' ' || action || ' ' || what"
                         " FROM @ws.audit ORDER BY id").stdout
        self.assertIn("alice update project 1", trail)
        self.assertIn("alice checkin", trail)
        self.assertNotIn("bob update", trail)

    def test_deleting_a_project_a_colleague_added_to_is_a_conflict(self):
        a, b = self.path("alice.tractwise"), self.path("bob.tractwise")
        run("checkout", self.alice, a)
        run("checkout", self.bob, b)
        run("project", "milestone", a, "2", "--title", "Hall booked", "--due", "2020-03-01")
        run("checkin", a, self.alice)
        run("project", "delete", b, "2")
        status, _, err = run("checkin", b, self.bob, check=False)
        self.assertEqual(status, 2, err)
        self.assertIn('project 2 "Safe sleep classes" got a milestone from alice', err)
        check = self.path("check.tractwise")
        run("checkout", self.uri, check)
        titles = [m["title"] for m in run("project", "show", check, "2")[1]["milestones"]]
        self.assertEqual(titles, ["Hall booked"])

    def test_edits_of_different_rows_both_arrive(self):
        a, b = self.path("alice.tractwise"), self.path("bob.tractwise")
        run("checkout", self.alice, a)
        run("checkout", self.bob, b)
        run("project", "set-areas", a, "1", "--areas", "0008")
        run("project", "milestone", b, "2", "--title", "Classes booked",
            "--due", "2020-09-01")
        run("partner", "add", b, "--name", "Westside Clinic")
        run("checkin", a, self.alice)
        _, out, _ = run("checkin", b, self.bob)
        self.assertEqual(out["added"], 2)

        check = self.path("check.tractwise")
        run("checkout", self.uri, check)
        self.assertEqual(self.areas(check, 1), ["0008"])
        titles = [m["title"] for m in run("project", "show", check, "2")[1]["milestones"]]
        self.assertEqual(titles, ["Classes booked"])
        names = sorted(p["name"] for p in run("partner", "list", check)[1])
        self.assertIn("Westside Clinic", names)


class RoleTests(TeamServerCase):
    def setUp(self):
        super().setUp()
        self.demo, self.uri = self.publish_demo("roles")

    def test_a_partner_cannot_read_a_raw_count(self):
        run("member", "add", self.uri, "--user", "eastside", "--role", "partner",
            "--partner", "Eastside Health Collaborative")
        for table in ("outcome_value", "outcome_withheld", "project", "comment", "member",
                      "audit"):
            result = self.sql(f"SELECT * FROM @ws.{table} LIMIT 1",
                              user="eastside", check=False)
            self.assertNotEqual(result.returncode, 0, table)
            self.assertIn("permission denied", result.stderr)
        # What a partner reads carries no count the policy hides.
        hidden = self.sql("SELECT count (*) FROM @ws.published_rate"
                          " WHERE status IN ('suppressed', 'complementary')"
                          "   AND (numerator IS NOT NULL OR rate IS NOT NULL)",
                          user="eastside").stdout.strip()
        self.assertEqual(hidden, "0")
        suppressed = self.sql("SELECT count (*) FROM @ws.published_rate"
                              " WHERE status = 'suppressed'", user="eastside").stdout.strip()
        self.assertGreater(int(suppressed), 0)
        # … and only their own projects.
        titles = self.sql("SELECT title FROM @ws.partner_project",
                          user="eastside").stdout.split("\n")
        self.assertEqual([t for t in titles if t], ["Asthma home visits"])
        # The published figures agree with the file's rates under the same policy.
        rates = run("rates", self.demo, "--measure", "sids", "--period", "1974-1978")[1]
        served = self.sql("SELECT geoid, rate FROM @ws.published_rate"
                          " WHERE measure = 'sids' AND period = '1974-1978'"
                          " AND stratum = 'all' ORDER BY geoid", user="eastside").stdout
        pairs = [line.split("|") for line in served.split("\n") if line]
        self.assertEqual([(g, float(r) if r else None) for g, r in pairs],
                         [(x["geoid"], x["rate"]) for x in rates])

    def test_a_county_member_sees_only_their_counties(self):
        run("member", "add", self.uri, "--user", "wake", "--role", "viewer",
            "--counties", "37183,37063")
        geoids = self.sql("SELECT DISTINCT geoid FROM @ws.published_rate"
                          " ORDER BY 1", user="wake").stdout.split()
        self.assertEqual(geoids, ["37063", "37183"])
        self.assertEqual(self.sql("SELECT count (*) FROM @ws.area",
                                  user="wake").stdout.strip(), "2")
        status, _, err = run("checkout", SERVER.uri(self.workspace, user="wake"),
                             self.path("wake.tractwise"), check=False)
        self.assertEqual(status, 2)
        self.assertIn("to analysts and owners only", err)
        self.assertFalse(os.path.exists(self.path("wake.tractwise")))
        raw = self.sql("SELECT count (*) FROM @ws.outcome_value", user="wake",
                       check=False)
        self.assertIn("permission denied", raw.stderr)

    def test_members_are_listed_and_removed(self):
        run("member", "add", self.uri, "--user", "carol", "--role", "analyst")
        run("member", "add", self.uri, "--user", "wake", "--role", "viewer",
            "--counties", "37183")
        _, members, _ = run("member", "list", self.uri)
        self.assertEqual(members, [
            {"user": "carol", "role": "analyst", "counties": None, "partner": None},
            {"user": "wake", "role": "viewer", "counties": ["37183"], "partner": None},
        ])
        self.assertEqual(self.sql("SELECT count (*) FROM @ws.outcome_value",
                                  user="carol").stdout.strip(), "22928")
        run("member", "remove", self.uri, "--user", "carol")
        result = self.sql("SELECT count (*) FROM @ws.outcome_value",
                          user="carol", check=False)
        self.assertIn("permission denied", result.stderr)
        status, _, err = run("member", "add", self.uri, "--user", "x", "--role", "boss",
                             check=False)
        self.assertEqual(status, 2)
        self.assertIn("owner, analyst, viewer or partner", err)
        status, _, err = run("member", "add", self.uri, "--user", "x", "--role", "viewer",
                             "--counties", "251", check=False)
        self.assertEqual(status, 2)
        self.assertIn("'251' is not a county FIPS code", err)


class NotifyTests(TeamServerCase):
    def test_a_second_client_hears_a_colleagues_commit(self):
        if WATCH is None:
            self.skipTest("the watcher program's path was not given")
        demo, uri = self.publish_demo("live")
        for user in ("alice", "bob"):
            run("member", "add", uri, "--user", user, "--role", "analyst")
        watcher = subprocess.Popen([WATCH, SERVER.uri(self.workspace, user="bob"), "30"],
                                   stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(watcher.stdout.readline().strip(), "listening")
            a = self.path("a.tractwise")
            run("checkout", SERVER.uri(self.workspace, user="alice"), a)
            run("project", "milestone", a, "1", "--title", "Spring visits",
                "--due", "2021-04-01")
            run("checkin", a, SERVER.uri(self.workspace, user="alice"))
            out, _ = watcher.communicate(timeout=30)
        finally:
            if watcher.poll() is None:
                watcher.kill()
                watcher.wait()
        self.assertEqual(watcher.returncode, 0, "no notification within 30 s")
        heard = json.loads(out)
        self.assertEqual(heard["who"], "alice")
        self.assertIn(heard["table"], ("milestone", "project"))


def replicas():
    folder = os.path.join(os.environ["XDG_CACHE_HOME"], "tractwise", "replicas")
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return [os.path.join(folder, n) for n in names if n.endswith(".tractwise")]


def replica_of(uri):
    """The replica file the commands read for @uri."""
    for path in replicas():
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT value FROM setting"
                             " WHERE key = 'team.replica.uri'").fetchone()
        db.close()
        if row is not None and row[0] == uri:
            return path
    raise AssertionError(f"no replica of {uri}")


class ReplicaTests(TeamServerCase):
    """Every command on a server workspace's URI, through the local replica."""

    def setUp(self):
        super().setUp()
        self.demo, self.uri = self.publish_demo("replica")
        run("member", "add", self.uri, "--user", "ana", "--role", "analyst")
        run("member", "add", self.uri, "--user", "eastside", "--role", "partner",
            "--partner", "Eastside Health Collaborative")
        run("member", "add", self.uri, "--user", "vic", "--role", "viewer")
        self.ana = SERVER.uri(self.workspace, user="ana")
        self.partner = SERVER.uri(self.workspace, user="eastside")
        self.viewer = SERVER.uri(self.workspace, user="vic")

    def test_an_analyst_reads_on_the_uri_what_the_file_gives(self):
        _, info, _ = run("info", self.demo)
        self.assertEqual(run("info", self.ana)[1], info)
        for measure in info["measures"]:
            period = measure["periods"][-1]
            args = ("--measure", measure["code"], "--period", period)
            self.assertEqual(run("rates", self.ana, *args)[1], run("rates", self.demo, *args)[1])
            self.assertEqual(run("classify", self.ana, *args, "--method", "quantile")[1],
                             run("classify", self.demo, *args, "--method", "quantile")[1])
        self.assertEqual(run("project", "list", self.ana)[1],
                         run("project", "list", self.demo)[1])
        self.assertEqual(run("policy", self.ana)[1], run("policy", self.demo)[1])
        args = ("--measure", "sids", "--period", "1974-1978")
        run("export-map", self.demo, *args, "--out", self.path("file.svg"))
        run("export-map", self.ana, *args, "--out", self.path("server.svg"))
        with open(self.path("file.svg"), "rb") as a, open(self.path("server.svg"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        # The replica holds raw counts: the user's alone.
        for path in replicas():
            self.assertEqual(os.stat(path).st_mode & 0o077, 0, path)

    def test_an_edit_on_the_uri_reaches_the_server_and_a_colleague(self):
        run("project", "add", self.ana, "--title", "Lead-safe homes", "--measure", "asthma_ed",
            "--geography", "Boston tracts", "--areas", "0007")
        self.assertEqual(self.sql("SELECT changed_by FROM @ws.project"
                                  " WHERE title = 'Lead-safe homes'").stdout.strip(), "ana")
        # Another login's replica (made before the edit) takes it at the next command.
        titles = [p["title"] for p in run("project", "list", self.uri)[1]]
        self.assertIn("Lead-safe homes", titles)
        run("project", "set-areas", self.uri, "1", "--areas", "0002")
        self.assertEqual(run("project", "show", self.ana, "1")[1]["areas"], ["0002"])

    def test_a_change_the_server_refuses_is_undone_in_the_replica(self):
        run("project", "list", self.ana)
        self.sql(f"REVOKE UPDATE ON @ws.project FROM tractwise_{self.workspace}_analyst")
        status, _, err = run("project", "set-areas", self.ana, "1", "--areas", "0008",
                             check=False)
        self.assertEqual(status, 2, err)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn("not saved", err)
        self.assertEqual(sorted(run("project", "show", self.ana, "1")[1]["areas"]),
                         ["0001", "0002", "0003"])

    def test_messages_name_the_workspace_on_its_server_never_the_local_copy(self):
        cache = os.environ["XDG_CACHE_HOME"]
        for args in (("rates", self.ana, "--measure", "sids", "--period", "1900"),
                     ("export-map", self.ana, "--measure", "nosuch", "--period", "1974-1978",
                      "--out", self.path("x.png")),
                     ("export-map", self.partner, "--measure", "sids", "--period", "1974-1978",
                      "--geography", "nosuch", "--out", self.path("x.png")),
                     ("classify", self.viewer, "--measure", "sids", "--period", "1900",
                      "--method", "quantile")):
            status, _, err = run(*args, check=False)
            self.assertEqual(status, 2, args)
            self.assertEqual(err.count("\n"), 1, err)
            self.assertNotIn(cache, err)
            self.assertNotIn(".tractwise", err)
            self.assertIn(f"workspace '{self.workspace}' on {SERVER.socket}", err)

    def test_imports_and_the_demo_refuse_a_uri(self):
        for args in (("demo", self.uri), ("new", self.uri),
                     ("import-outcomes", self.uri, self.path("x.csv"))):
            status, _, err = run(*args, check=False)
            self.assertEqual(status, 2, args)
            self.assertEqual(err.count("\n"), 1, err)
            self.assertIn("works on a workspace file, not on a server workspace", err)

    def test_a_partner_reads_only_published_figures_and_their_projects(self):
        for measure, period in (("asthma_ed", "2020"), ("sids", "1979-1984")):
            args = ("--measure", measure, "--period", period)
            served = {(r["geoid"], r["stratum"]): r for r in run("rates", self.partner, *args)[1]}
            own = {(r["geoid"], r["stratum"]): r for r in run("rates", self.demo, *args)[1]}
            self.assertEqual(served.keys(), own.keys())
            for key, row in own.items():
                figures = ("numerator", "denominator", "rate", "lower", "upper")
                self.assertEqual([served[key][f] for f in figures], [row[f] for f in figures],
                                 key)
                self.assertEqual(served[key]["suppressed"], row["suppressed"], key)
        # Their replica holds no hidden count at all, not even in the file.
        with sqlite3.connect(replica_of(self.partner)) as db:
            small = db.execute("SELECT count (*) FROM outcome_value"
                               " WHERE numerator BETWEEN 1 AND 10").fetchone()[0]
            withheld = db.execute("SELECT count (*) FROM outcome_withheld").fetchone()[0]
        db.close()
        self.assertEqual(small, 0)
        self.assertGreater(withheld, 0)
        titles = [p["title"] for p in run("project", "list", self.partner)[1]]
        self.assertEqual(titles, ["Asthma home visits"])
        status, _, err = run("partner", "add", self.partner, "--name", "X", check=False)
        self.assertEqual(status, 2)
        self.assertIn("published figures of this team workspace as a partner", err)
        # A viewer reads every project, and the same published figures.
        self.assertEqual(len(run("project", "list", self.viewer)[1]), 2)
        args = ("--measure", "sids", "--period", "1974-1978")
        self.assertEqual(run("rates", self.viewer, *args)[1],
                         run("rates", self.partner, *args)[1])

    def test_a_partner_comments_on_their_project_only(self):
        _, out, _ = run("comment", self.partner, "--project", "1", "--area", "0002",
                        "--author", "Rosa", "--text", "Start on Elm Street")
        self.assertEqual(out["comments_added"], 1)
        status, _, err = run("comment", self.partner, "--project", "2", "--author", "Rosa",
                             "--text", "Not ours", check=False)
        self.assertEqual(status, 2)
        self.assertIn("row-level security", err)
        comments = run("project", "show", self.ana, "1")[1]["comments"]
        self.assertEqual([(c["author"], c["body"], c["geoid"]) for c in comments],
                         [("Rosa", "Start on Elm Street", "0002")])
        self.assertEqual(run("project", "show", self.partner, "1")[1]["comments"][0]["body"],
                         "Start on Elm Street")
        self.assertEqual(run("project", "show", self.ana, "2")[1]["comments"], [])

    def test_a_new_policy_forgets_the_published_figures_until_computed_again(self):
        run("policy", self.uri, "--min-count", "20")
        self.assertEqual(self.sql("SELECT count (*) FROM @ws.published_rate").stdout.strip(),
                         "0")
        _, out, _ = run("publish", "--figures-only", self.uri)
        self.assertGreater(out["published_figures"], 20000)
        shown = [r["numerator"] for r in run("rates", self.partner, "--measure", "sids",
                                             "--period", "1974-1978")[1]
                 if r["numerator"] is not None]
        self.assertTrue(shown)
        self.assertTrue(all(n == 0 or n >= 20 for n in shown), shown)


class DocumentTests(TeamServerCase):
    def test_the_open_document_sees_a_colleagues_commit(self):
        if DOCUMENT is None:
            self.skipTest("the document program's path was not given")
        demo, uri = self.publish_demo("document")
        run("member", "add", uri, "--user", "eastside", "--role", "partner",
            "--partner", "Eastside Health Collaborative")
        for wanted, action in (
                ("projects", ("project", "add", uri, "--title", "Walking school bus")),
                ("comments", ("comment", SERVER.uri(self.workspace, user="eastside"),
                              "--project", "1", "--author", "Rosa", "--text", "Seen?"))):
            document = subprocess.Popen([DOCUMENT, uri, wanted, "60"],
                                        stdout=subprocess.PIPE, text=True)
            try:
                ready = document.stdout.readline().split()
                self.assertEqual(ready[0], "ready")
                run(*action)
                out, _ = document.communicate(timeout=60)
            finally:
                if document.poll() is None:
                    document.kill()
                    document.wait()
            self.assertEqual(document.returncode, 0, f"no changed::{wanted} within 60 s")
            last = out.strip().split("\n")[-1].split()
            self.assertEqual(last[:2], ["changed", wanted])
            if wanted == "projects":
                self.assertEqual(int(last[2]), int(ready[1]) + 1)
            else:
                self.assertEqual(int(last[3]), int(ready[2]) + 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
