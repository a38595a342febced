# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/help-words: the help names the file a WORKSPACE; "project" is a partner project only.

Scripts keep working: every command takes the same arguments as before, only the words of the
help changed (no option or command used the old word for the file)."""
import re
import subprocess
import unittest

from twtest import CLI


def help_text(*args):
    proc = subprocess.run([CLI, *args, "--help"], capture_output=True, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")


def commands():
    """The sub-commands --help lists."""
    _, text = help_text()
    listed = text.split("Commands:", 1)[1]
    return [m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]+) ", listed, re.M)]


class HelpWordsTest(unittest.TestCase):
    def test_top_level_help(self):
        status, text = help_text()
        self.assertEqual(status, 0)
        self.assertIn("Usage: tractwise-cli COMMAND WORKSPACE", text)
        self.assertNotRegex(text, r"\bPROJECT\b")
        self.assertNotIn("project file", text)

    def test_every_command_names_a_workspace(self):
        names = commands()
        self.assertIn("rates", names)
        self.assertIn("project", names)
        for name in names:
            with self.subTest(command=name):
                status, text = help_text(name)
                self.assertEqual(status, 0, text)
                self.assertNotRegex(text, r"\bPROJECT\b")
                self.assertNotIn("project file", text)

    def test_partner_project_verbs_name_a_workspace(self):
        status, text = help_text("project")
        self.assertEqual(status, 0, text)
        self.assertIn("VERB WORKSPACE", text)
        for verb in ("add", "list", "show", "set-areas", "milestone", "evaluate", "delete"):
            with self.subTest(verb=verb):
                status, text = help_text("project", verb)
                self.assertEqual(status, 0, text)
                self.assertIn("WORKSPACE", text)
                self.assertNotRegex(text, r"\bPROJECT\b")


if __name__ == "__main__":
    unittest.main(verbosity=2)
