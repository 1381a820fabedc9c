"""Render Python values as TOML text, for the few value types clientfit writes.

Every text produced here is read back with `tomllib` before it reaches a file,
so a mistake here is refused, never written.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def key(k: str) -> str:
    """A key, bare when it can be, quoted otherwise."""
    return k if _BARE_KEY.fullmatch(k) else string(k)


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(key(p) for p in path)


def string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _offset(td: timedelta) -> str:
    if td == timedelta(0):
        return "Z"
    sign = "+" if td > timedelta(0) else "-"
    minutes = abs(int(td.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _time(t: time) -> str:
    s = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    if t.microsecond:
        s += f".{t.microsecond:06d}"
    return s


def value(v: Any) -> str:
    """The TOML text of a value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        r = repr(v)
        return r if ("." in r or "e" in r or "n" in r) else r + ".0"
    if isinstance(v, str):
        return string(v)
    if isinstance(v, datetime):
        s = f"{v.date().isoformat()}T{_time(v.time())}"
        off = v.utcoffset()
        return s if off is None else s + _offset(off)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return _time(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return inline(v)
    raise TypeError(f"cannot write a {type(v).__name__} to TOML")


def inline(table: dict[str, Any], spaced: bool = True) -> str:
    """An inline table: `{ k = v, ... }`, or `{k = v, ...}` when not `spaced`."""
    if not table:
        return "{}"
    inner = ", ".join(f"{key(k)} = {value(x)}" for k, x in table.items())
    return "{ " + inner + " }" if spaced else "{" + inner + "}"


def table_lines(table: dict[str, Any], indent: str = "") -> list[str]:
    """`key = value` lines for a table's scalar items."""
    return [f"{indent}{key(k)} = {value(v)}" for k, v in table.items()]
