"""Shared by the table scripts in tools/: write a C array body, read one back from a C file.

The scripts are not part of the installed package; they regenerate or refit the frozen
tables under csrc/ and are checked by tests/test_tools_tables.py.
"""
from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def c_rows(values, per_line, suffix=""):
    """The lines of a C initialiser: `per_line` values a line, four spaces in, every value
    followed by a comma (the last one too), `suffix` after each number (e.g. "u")."""
    values = [int(v) for v in values]
    lines = []
    for i in range(0, len(values), per_line):
        chunk = values[i:i + per_line]
        lines.append("    " + " ".join(f"{v}{suffix}," for v in chunk))
    return "\n".join(lines) + "\n"


def read_c_array(path, name):
    """The integers of the initialiser of array `name` in the C file at `path`."""
    text = Path(path).read_text()
    match = re.search(rf"\b{re.escape(name)}\s*\[[^\]]*\]\s*=\s*\{{(.*?)\}};", text, re.S)
    if match is None:
        raise ValueError(f"no initialised array {name!r} in {path}")
    body = re.sub(r"/\*.*?\*/", " ", match.group(1), flags=re.S)
    return [int(tok.strip().rstrip("uU")) for tok in body.split(",") if tok.strip()]


def write_or_check(text, output, check, source):
    """Write `text` to `output`, or with `check` compare it (exit status 1 when they differ);
    `source` names what made the text ("the fit", "the generator") in the message."""
    if check:
        same = output.read_text() == text
        print(f"{output}: {'matches' if same else 'DIFFERS from'} {source}")
        return 0 if same else 1
    output.write_text(text)
    print(f"wrote {output}")
    return 0
