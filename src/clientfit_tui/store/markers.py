"""Merge conflicts in the text: writing git-style markers around a value changed two
ways, and naming markers left in a file (which is then not valid TOML)."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from ..i18n import _
from . import tomlfmt

OURS, SPLIT, THEIRS = "<<<<<<<", "=======", ">>>>>>>"
_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?:[ \t].*)?$")
_AT = re.compile(r"\(at line (\d+), column \d+\)$")
_MOST_LINES = 200
"""A value longer than this many lines is not wrapped whole (the markers go before it)."""


def unresolved(display: str, text: str, error: str = "") -> list[str]:
    """`path:line:1: ...` for each conflict whose markers are still in the text; none
    when `error` (tomllib's) is about a line that is not a marker's."""
    at = _AT.search(error)
    if at is not None:
        lines = text.splitlines()
        n = int(at.group(1))
        if not (0 < n <= len(lines) and _MARKER.match(lines[n - 1])):
            return []
    out: list[str] = []
    start: int | None = None
    middle: int | None = None
    for n, line in enumerate(text.splitlines(), 1):
        m = _MARKER.match(line)
        if not m:
            continue
        mark = m.group(1)
        if mark == OURS:
            if start is not None:
                out.append(_said(display, start, middle, None))
            start, middle = n, None
        elif mark == SPLIT and start is not None:
            middle = n
        elif mark == THEIRS:
            out.append(_said(display, start if start is not None else n, middle, n))
            start = middle = None
    if start is not None:
        out.append(_said(display, start, middle, None))
    return out


def _said(display: str, start: int, middle: int | None, end: int | None) -> str:
    where = ", ".join(str(n) for n in (start, middle, end) if n is not None)
    return f"{display}:{start}:1: " + _(
        "an unresolved merge conflict (marker lines {lines}): keep the right value, then "
        "delete the lines {ours}, {split} and {theirs}").format(lines=where, ours=OURS,
                                                                 split=SPLIT, theirs=THEIRS)


def _lhs(line: str) -> str:
    """The text of a `key = value` line up to and including `=` (quotes respected)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return line[: i + 1]
    return line


def _resolves(data: dict[str, Any], keys: list[str]) -> bool:
    """Whether some ending of the dotted path `keys` names a value in `data`."""
    for n in range(len(keys)):
        node: Any = data
        for k in keys[n:]:
            if not isinstance(node, dict) or k not in node:
                break
            node = node[k]
        else:
            return len(data) == 1
    return False


def statement(lines: list[str], start: int, keys: list[str]) -> int | None:
    """The end (exclusive) of the statement that starts at `lines[start]` and sets the
    key `keys` ends with, or None when that line does not start one."""
    for end in range(start + 1, min(len(lines), start + _MOST_LINES) + 1):
        try:
            data = tomllib.loads("".join(lines[start:end]))
        except tomllib.TOMLDecodeError:
            continue
        return end if _resolves(data, keys) else None
    return None


def mark(text: str, nl: str, found: list[tuple[tuple[int, int], list[str], Any]]
         ) -> tuple[str, list[int]]:
    """The text with markers around each conflicting statement: `found` holds, for each
    conflict, where its value is ((line, col) from `Locator.find`), its key path, and
    the other side's value. Returns the text and each conflict's first marker line."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    spans: list[tuple[int, int, str]] = []
    file_nl = nl
    for (line, _col), keys, theirs in found:
        start = line - 1
        end = statement(lines, start, keys) if 0 <= start < len(lines) else None
        alone = end is None
        if end is None:  # not one statement's line: both values said, before that line
            start = end = max(0, min(start, len(lines)))
        # a new line takes the ending of the line it follows
        nl = "\r\n" if 0 < start <= len(lines) and lines[start - 1].endswith("\r\n") else \
            "\n" if start > 0 else file_nl
        if alone:
            ours_text = f"# {'.'.join(keys)}: ours is the value below{nl}"
            spans.append((start, end, f"{OURS} ours{nl}{ours_text}{SPLIT}{nl}# "
                          f"{'.'.join(keys)} = {tomlfmt.value(theirs)}{nl}{THEIRS} theirs{nl}"))
            continue
        lhs = _lhs(lines[start].rstrip("\r\n"))
        theirs_line = f"{lhs.rstrip()} {tomlfmt.value(theirs)}{nl}"
        spans.append((start, end, f"{OURS} ours{nl}{''.join(lines[start:end])}{SPLIT}{nl}"
                      f"{theirs_line}{THEIRS} theirs{nl}"))
    order = sorted(range(len(spans)), key=lambda i: spans[i][:2])
    out: list[str] = []
    pos = 0
    at = [0] * len(spans)
    count = 0
    for i in order:
        start, end, block = spans[i]
        if start < pos:  # two conflicts in one statement: the first one's markers hold both
            at[i] = at[order[order.index(i) - 1]]
            continue
        out.extend(lines[pos:start])
        count += start - pos
        at[i] = count + 1
        out.append(block)
        count += block.count("\n")
        pos = end
    out.extend(lines[pos:])
    return "".join(out), at
