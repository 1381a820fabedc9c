"""Values as they come in (typed, or given on the command line): numbers the file can hold
and sum, text it can hold."""

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
LARGEST = 10**15
"""The largest number a file may hold (minutes, amounts, revenue): exact as a float and as
a 64-bit integer, and any sum of them stays finite."""


def read_number(text: str, lo: float = 0, hi: float = LARGEST) -> float | int:
    """A number as typed (minutes, an amount), from `lo` to `hi`: an int when whole.
    ValueError with a short reason otherwise."""
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not v >= lo:
        raise ValueError(f"must be {lo:g} or more")
    if not v <= hi:
        raise ValueError(f"must be at most {hi:g}")
    return int(v) if v.is_integer() else v


def text_problem(v: str) -> str | None:
    """Why a string cannot be written to the file (None: it can): bytes that were not
    UTF-8 where it came from (the command line keeps them as lone surrogates)."""
    if v.isascii():
        return None
    bad = _SURROGATE.search(v)
    if bad is None:
        return None
    code = ord(bad.group())
    byte = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
    return f"is not UTF-8 text ({byte}): check the terminal's or the input's encoding"
