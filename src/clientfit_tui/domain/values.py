"""Values as they come in (typed, or given on the command line): numbers the file can hold
and sum, text it can hold."""

import re

from ..i18n import _

_SURROGATE = re.compile("[\ud800-\udfff]")
LARGEST = 10**15
"""The largest number a file may hold (minutes, amounts, revenue): exact as a float and as
a 64-bit integer, and any sum of them stays finite."""


_GROUPED = {"es": re.compile(r"([+-]?\d{1,3}(?:\.\d{3})+)(,\d+)?"),
            "en": re.compile(r"([+-]?\d{1,3}(?:,\d{3})+)(\.\d+)?")}
"""A number with thousands separators, as the reader's language writes it: `3.500,50`
in Spanish, `3,500.50` in English."""
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_DOT_MANY = re.compile(r"[+-]?\d+\.\d{4,}")
"""In Spanish, a dot with four digits or more after it: a slip of a thousands dot."""
_SPACED = {"es": re.compile(r"([+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(,\d+)?"),
           "en": re.compile(r"([+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(\.\d+)?")}
"""A number grouped by spaces (as Babel and many people write it: `12 000`, `12 000,50`)."""
_CURRENCY = re.compile(r"^\s*(?:[€$£¥]|([A-Z]{3})(?=[\s\d+-]))\s*"
                       r"|\s*(?:[€$£¥]|(?<=[\s\d])([A-Z]{3}))\s*$")
"""A currency sign or code before or after an amount (`3.500,50 €`, `EUR 1200`, `$30`)."""


def _no_currency(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    if code is None:
        return ""
    from babel.numbers import list_currencies  # only when a code was typed

    return "" if code in list_currencies() else m.group(0)


def plain_number(text: str) -> str:
    """A number as typed in the reader's language, as Python reads it: in Spanish
    `3.500,50` and `3500,50` are `3500.50` (a dot not in a thousands pattern is a decimal
    point: `3500.50`, and `1.50` is 1.5 where `1.500` is 1500); in English `3,500.50` is
    `3500.50`. Groups of three may be set apart by spaces too (`12 000`), and a currency
    sign or code on either side is left out (`3.500,50 €`, `EUR 1200`). Anything else as
    it is."""
    from ..i18n import language

    t = _CURRENCY.sub(_no_currency, text.strip(), count=2).strip()
    lang = "es" if language() == "es" else "en"
    if (m := _SPACED[lang].fullmatch(t)) is not None:
        whole = re.sub(r"[ \u00a0\u202f]", "", m.group(1))
        return whole + (m.group(2) or "").replace(",", ".")
    if (m := _GROUPED[lang].fullmatch(t)) is not None:
        whole = m.group(1).replace("." if lang == "es" else ",", "")
        return whole + (m.group(2) or "").replace(",", ".")
    if lang == "es" and _DECIMAL_COMMA.fullmatch(t):
        return t.replace(",", ".")
    if lang == "es" and _DOT_MANY.fullmatch(t):  # `1.5000`: 1,5 or 15.000? Neither is sure
        raise ValueError(_("{text} could be {one} or {other}: write it with a decimal comma "
                           "or without the dot").format(
                               text=quoted(text.strip()), one=t.replace(".", ","),
                               other=t.replace(".", "")))
    return t


def read_number(text: str, lo: float = 0, hi: float = LARGEST) -> float | int:
    """A number as typed (minutes, an amount), from `lo` to `hi`: an int when whole.
    ValueError with a short reason otherwise. Read in the reader's language (see
    `plain_number`)."""
    plain = plain_number(text)  # ValueError when the text could be two numbers
    try:
        v = float(plain)
    except ValueError:
        raise ValueError(_("not a number: {text}").format(text=quoted(text))) from None
    return in_range(v, lo, hi)


def in_range(v: float, lo: float = 0, hi: float = LARGEST) -> float | int:
    """`v`, from `lo` to `hi` (ValueError otherwise): an int when whole."""
    if not v >= lo:
        raise ValueError(_("must be {lo} or more").format(lo=number_text(lo)))
    if not v <= hi:
        raise ValueError(_("must be at most {hi}").format(hi=number_text(hi)))
    return int(v) if v.is_integer() else v


_CLOCK = re.compile(r"\s*(\d{1,12}):([0-5]\d)\s*")
_HOURS = re.compile(r"\s*(\d{1,12}(?:[.,]\d+)?)\s*h(?:ours?|rs?|oras?)?\s*"
                    r"(?:(\d{1,12})\s*(?:m|min|mins|minutes?|minutos?)?)?\s*", re.I)
_MINUTES = re.compile(r"\s*(\d{1,15}(?:[.,]\d+)?)\s*(?:m|min|mins|minutes?|minutos?)\s*",
                      re.I)


def read_minutes(text: str) -> float | int:
    """Minutes as typed: `20`, `90m`, `1h`, `1h30`, `1h 30m`, `1.5h`, `1:30`; in Spanish
    with a decimal comma too (`1,5h`, `2 horas`, `90 minutos`).
    ValueError with a short reason otherwise."""
    from ..i18n import language

    comma = language() == "es"
    if (m := _CLOCK.fullmatch(text)) is not None:
        total: float = int(m.group(1)) * 60 + int(m.group(2))
    elif (m := _HOURS.fullmatch(text)) is not None and (comma or "," not in m.group(1)):
        total = float(m.group(1).replace(",", ".")) * 60 + int(m.group(2) or 0)
    elif (m := _MINUTES.fullmatch(text)) is not None and (comma or "," not in m.group(1)):
        total = float(m.group(1).replace(",", "."))
    else:
        try:
            float(plain_number(text))
        except ValueError:
            raise ValueError(_("not a number of minutes: {text} (try 20, 90m, 1h30 or 1:30)")
                             .format(text=quoted(text.strip()))) from None
        return read_number(text)
    return in_range(float(total))


def text_problem(v: str, what: str = "") -> str | None:
    """Why a string cannot be written to the file (None: it can): bytes that were not
    UTF-8 where it came from (the command line keeps them as lone surrogates).

    With `what` ("the note", "'name'", translated by the caller), the whole sentence
    ("the note is not UTF-8 text ..."); without, what follows the subject ("is not ...")."""
    if v.isascii():
        return None
    bad = _SURROGATE.search(v)
    if bad is None:
        return None
    code = ord(bad.group())
    byte = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
    if what:
        return _("{what} is not UTF-8 text ({byte}): check the terminal's or the input's "
                 "encoding").format(what=what, byte=byte)
    return _("is not UTF-8 text ({byte}): check the terminal's or the input's encoding"
             ).format(byte=byte)


# -- values and keys as a message shows them: as the file writes them, never as Python does

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quoted(s: str) -> str:
    """A string as TOML writes it (a basic string, control characters escaped)."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif o < 0x20 or o == 0x7F or 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def dotted(path: tuple[str | int, ...]) -> str:
    """A path of keys as a TOML key: `clients.acme.incidents[2].minutes`."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + (p if _BARE.fullmatch(p) else quoted(p))
    return out


def number_text(x: float) -> str:
    """A number as written in the file (an integer stays one, however large)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        if x == LARGEST:
            return "10^15"
        if abs(x) < 10**30:
            return str(x)
        return _("an integer past -10^30") if x < 0 else _("an integer past 10^30")
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def shown(v: object, limit: int = 60) -> str:
    """Any value read from the file, as TOML writes it (cut at about `limit` characters)."""
    from datetime import date, time

    if isinstance(v, str):
        text = quoted(v)
    elif isinstance(v, int | float):
        text = number_text(v)
    elif isinstance(v, date | time):
        text = v.isoformat()
    elif isinstance(v, list):
        text = "[" + ", ".join(shown(x, limit) for x in v[:8]) + (", …" if len(v) > 8 else "") + "]"
    elif isinstance(v, dict):
        text = "{" + ", ".join(f"{dotted((str(k),))} = {shown(x, limit)}"
                               for k, x in list(v.items())[:8]) + "}"
    else:
        text = quoted(str(v))
    return text if len(text) <= limit else text[: limit - 1] + "…"
