"""The lexing under `scan`: keys, values, header lines and statements of a TOML text
that `tomllib` has already accepted (lenient about errors, never wrong about
structure)."""

import re
import sys
import tomllib
from typing import NamedTuple

Key = tuple[str, ...]

# A line that starts a table header, or a value that may run over several lines.
HOT = re.compile(r"^[ \t]*\[|\"\"\"|'''|=[ \t]*[\[{]", re.M)
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{0,2})')
_ML_LITERAL = re.compile(r"'''[\s\S]*?'''(?:'{0,2})")
_RUN = re.compile(r"[^\"'\[\]{}#\n]+")
WS = re.compile(r"[ \t]*")


class Header(NamedTuple):
    """One table header: `[a.b]` or `[[a.b]]`."""

    path: Key
    """The decoded key path."""
    aot: bool
    """True for an array-of-tables header `[[...]]`."""
    start: int
    """Offset of the start of the header's line."""
    line: int
    """0-based line number of the header."""
    end: int = 0
    """Offset just past the end of the header's line (its newline included)."""


class Statement(NamedTuple):
    """A key/value statement inside a block."""

    key: Key
    """The (possibly dotted) key, decoded."""
    start: int
    """Offset of the start of the statement's first line."""
    key_col: int
    """Offset of the key's first character."""
    value_start: int
    """Offset of the value's first character."""
    value_end: int
    """Offset just past the value's last character (before any comment)."""
    end: int
    """Offset just past the statement's last line (its newline included)."""
    depth: int = 0
    """How deep the key and value nest (arrays and inline tables count one level each)."""


class Block:
    """The statements of one block: a header (or the root) and what follows it."""

    __slots__ = ("body_end", "statements")

    def __init__(self, statements: list[Statement] | None = None, body_end: int = 0) -> None:
        self.statements: list[Statement] = statements if statements is not None else []
        self.body_end = body_end
        """Offset just past the last statement (or the header line when empty)."""


def _decode_key_part(text: str, i: int) -> tuple[str, int]:
    """Read one simple key (bare or quoted) at `i`; return it and the offset after it."""
    c = text[i : i + 1]
    if c == '"':
        m = _BASIC.match(text, i)
        if m is None:
            raise ValueError("unterminated key")
        raw = m.group(0)
        value = tomllib.loads(f"k = {raw}")["k"] if "\\" in raw else raw[1:-1]
        return str(value), m.end()
    if c == "'":
        m = _LITERAL.match(text, i)
        if m is None:
            raise ValueError("unterminated key")
        return m.group(0)[1:-1], m.end()
    m = _BARE.match(text, i)
    if m is None:
        raise ValueError("bad key")
    return m.group(0), m.end()


def read_key(text: str, i: int) -> tuple[Key, int]:
    """Read a dotted key starting at `i`; return its parts and the offset after it."""
    parts: list[str] = []
    while True:
        part, i = _decode_key_part(text, i)
        parts.append(part)
        j = WS.match(text, i).end()  # type: ignore[union-attr]
        if text.startswith(".", j):
            i = WS.match(text, j + 1).end()  # type: ignore[union-attr]
            continue
        return tuple(parts), j


def _line_end(text: str, i: int) -> int:
    """Offset just past the newline that ends the line containing `i`."""
    j = text.find("\n", i)
    return len(text) if j < 0 else j + 1


def skip_value(text: str, i: int) -> tuple[int, int, int]:
    """Skip a value starting at `i`; return (value_end, statement_end, deepest nesting)."""
    n = len(text)
    depth = 0
    deepest = 0
    value_end = i
    while i < n:
        c = text[i]
        if c == '"':
            m = (_ML_BASIC if text.startswith('"""', i) else _BASIC).match(text, i)
            i = m.end() if m else n
            value_end = i
        elif c == "'":
            m = (_ML_LITERAL if text.startswith("'''", i) else _LITERAL).match(text, i)
            i = m.end() if m else n
            value_end = i
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
            i += 1
        elif c in "]}":
            depth -= 1
            i += 1
            value_end = i
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "\n":
            if depth <= 0:
                return value_end, i + 1, deepest
            i += 1
        else:
            m = _RUN.match(text, i)
            assert m is not None
            i = m.end()
            stripped = m.group(0).rstrip(" \t\r")
            if stripped:
                value_end = m.start() + len(stripped)
    return value_end, n, deepest


_PATHS: dict[Key, Key] = {}


def _shared(path: Key) -> Key:
    """One object per distinct path (and its parts), so that the index pickles small."""
    got = _PATHS.get(path)
    if got is None:
        got = tuple(sys.intern(p) for p in path)
        _PATHS[got] = got
    return got


def parse_header(text: str, i: int, line: int) -> Header:
    """Parse the header whose line starts at `i`."""
    j = WS.match(text, i).end()  # type: ignore[union-attr]
    aot = text.startswith("[[", j)
    j += 2 if aot else 1
    j = WS.match(text, j).end()  # type: ignore[union-attr]
    path, _ = read_key(text, j)
    return Header(path=_shared(path), aot=aot, start=i, line=line, end=_line_end(text, j))


def statement_at(text: str, i: int) -> tuple[Statement | None, int]:
    """Read whatever starts the line at `i`: a key/value, or trivia. Return it and its end."""
    j = WS.match(text, i).end()  # type: ignore[union-attr]
    c = text[j : j + 1]
    if c in ("", "\n", "#", "\r"):
        return None, _line_end(text, j)
    key, k = read_key(text, j)
    # k is at '='
    v = WS.match(text, k + 1).end()  # type: ignore[union-attr]
    value_end, end, depth = skip_value(text, v)
    return Statement(key=key, start=i, key_col=j, value_start=v, value_end=value_end, end=end,
                     depth=depth + len(key)), end


def scan_block(text: str, start: int, end: int, has_header: bool) -> Block:
    """List the statements of the block in text[start:end]."""
    block = Block()
    i = start
    if has_header:
        i = _line_end(text, start)
    block.body_end = i
    while i < end:
        st, nxt = statement_at(text, i)
        if st is not None:
            block.statements.append(st)
            block.body_end = nxt
        i = nxt
    return block


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
