# SPDX-License-Identifier: GPL-3.0-or-later
"""A throw-away PostgreSQL 15 + PostGIS server on a Unix socket in a temporary folder.

No TCP (listen_addresses is empty), trust authentication over the socket. initdb refuses to
run as root, so as root the server runs as the `postgres` system user in a folder it owns.
The folder is deleted and the server stopped when the `with` block ends, even on failure."""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile

BINDIR = os.environ.get("TW_PG_BINDIR", "/usr/lib/postgresql/15/bin")
SUPERUSER = "tw_admin"
SKIP = 77


def skip_unless_available():
    """Exits with meson's SKIP status when the server cannot be run here."""
    missing = [p for p in ("initdb", "pg_ctl", "postgres")
               if not os.access(os.path.join(BINDIR, p), os.X_OK)]
    if missing or shutil.which("psql") is None:
        print(f"SKIP: PostgreSQL 15 is not installed ({', '.join(missing) or 'psql'} missing "
              f"from {BINDIR}); run build-aux/install-deps --tests", file=sys.stderr)
        sys.exit(SKIP)
    if not os.path.exists("/usr/share/postgresql/15/extension/postgis.control"):
        print("SKIP: PostGIS 3 for PostgreSQL 15 is not installed "
              "(postgresql-15-postgis-3); run build-aux/install-deps --tests", file=sys.stderr)
        sys.exit(SKIP)
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            print("SKIP: running as root and no 'postgres' system user to run the server as",
                  file=sys.stderr)
            sys.exit(SKIP)


class Server:
    def __init__(self, database="tw"):
        self.database = database
        self.folder = None

    def _as_server_user(self, argv):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def _run(self, argv):
        subprocess.run(self._as_server_user(argv), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd="/")

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="tw-pg-")
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.data = os.path.join(self.folder, "data")
        self.socket = self.folder
        try:
            self._run([os.path.join(BINDIR, "initdb"), "-D", self.data, "-A", "trust",
                       "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "--no-sync"])
            options = (f"-c listen_addresses='' -k {self.socket} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            self._run([os.path.join(BINDIR, "pg_ctl"), "-D", self.data, "-w", "-t", "60",
                       "-l", os.path.join(self.folder, "server.log"), "-o", options, "start"])
            self.psql("CREATE DATABASE " + self.database, database="postgres")
            self.psql("CREATE EXTENSION postgis")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.folder is None:
            return False
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            subprocess.run(self._as_server_user(
                [os.path.join(BINDIR, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w",
                 "stop"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
        return False

    def uri(self, workspace, user=SUPERUSER, database=None):
        return (f"postgresql:///{database or self.database}?host={self.socket}"
                f"&user={user}&workspace={workspace}")

    def psql(self, sql, user=SUPERUSER, database=None, check=True):
        """Runs @sql through psql as @user; returns the CompletedProcess (text)."""
        conninfo = f"host={self.socket} user={user} dbname={database or self.database}"
        result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                 "-d", conninfo, "-c", sql],
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"psql as {user} failed: {sql}\n{result.stderr}")
        return result
