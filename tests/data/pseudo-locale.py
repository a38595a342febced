#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a pseudo-translation catalogue (.mo) of the strings marked in the given C files:
each translation is its msgid between ⟦ and ⟧, so a test can tell translated text from text
that bypassed gettext. Usage: pseudo-locale.py OUT.mo SOURCE.c…"""
import ast
import os
import struct
import subprocess
import sys
import tempfile

KEYWORDS = ["--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
            "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3"]


def entries(pot):
    """(msgctxt, msgid, msgid_plural) of each entry of a .pot file."""
    found, current, key = [], {}, None
    with open(pot, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                if "msgid" in current:
                    found.append(current)
                current, key = {}, None
                continue
            if line.startswith('"'):
                current[key] += ast.literal_eval(line)
                continue
            key, _, text = line.partition(" ")
            current[key] = ast.literal_eval(text)
    if "msgid" in current:
        found.append(current)
    return [e for e in found if e["msgid"]]


def write_mo(path, pairs):
    """GNU .mo: header, the sorted original and translated string tables, the strings."""
    pairs = sorted(pairs)
    ids = b"".join(k + b"\0" for k, _ in pairs)
    strs = b"".join(v + b"\0" for _, v in pairs)
    n = len(pairs)
    start = 7 * 4 + 16 * n
    offsets, o, t = [], 0, 0
    for k, v in pairs:
        offsets.append((len(k), start + o, len(v), start + len(ids) + t))
        o += len(k) + 1
        t += len(v) + 1
    with open(path, "wb") as f:
        f.write(struct.pack("<7I", 0x950412de, 0, n, 28, 28 + 8 * n, 0, 0))
        for length, offset, _, _ in offsets:
            f.write(struct.pack("<2I", length, offset))
        for _, _, length, offset in offsets:
            f.write(struct.pack("<2I", length, offset))
        f.write(ids)
        f.write(strs)


def main():
    out, sources = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "pseudo.pot")
        subprocess.run(["xgettext", "--from-code=UTF-8", "--language=C", *KEYWORDS,
                        "-o", pot, *sources], check=True)
        pairs = [(b"", "Content-Type: text/plain; charset=UTF-8\n"
                       "Plural-Forms: nplurals=2; plural=(n != 1);\n".encode())]
        for e in entries(pot):
            key = e["msgid"].encode()
            if "msgctxt" in e:
                key = e["msgctxt"].encode() + b"\x04" + key
            if "msgid_plural" in e:
                value = f"⟦{e['msgid']}⟧\0⟦{e['msgid_plural']}⟧"
                key += b"\0" + e["msgid_plural"].encode()
            else:
                value = f"⟦{e['msgid']}⟧"
            pairs.append((key, value.encode()))
    write_mo(out, pairs)


if __name__ == "__main__":
    main()
