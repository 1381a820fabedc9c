"""Dates, numbers, amounts and durations written for the reader's language.

Every date, number and amount a person reads goes through these functions.

- English keeps what clientfit has always shown: ISO 8601 dates and times (as the
  file has them, so what you read is what you type), `1,234.50`, and durations as
  `2d 03h`. It loads no locale data, which keeps the command line fast.
- Spanish is formatted by Babel (CLDR): `5 dic 2026`, `5 dic 2026 17:58`, `1234,50`,
  `14.200,00 €` when the settings name a currency, and durations as `2 d 03 h`; a
  letter's dates (`long_date`) as `1 de enero de 2027`.

Data written out (`--json`, CSV, the TOML file) never goes through here.
"""

from __future__ import annotations

from datetime import date as _date, datetime as _datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from .i18n import language

if TYPE_CHECKING:
    from babel import Locale


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(lang)


def _babel() -> Locale | None:
    """Babel's locale for the language in use; None for English (no Babel needed)."""
    lang = language()
    return None if lang == "en" else _locale(lang)


def date(d: _date) -> str:
    """A day: `2026-12-05`; `5 dic 2026`."""
    loc = _babel()
    if loc is None:
        return d.isoformat()
    from babel.dates import format_date

    return format_date(d, "d MMM y", locale=loc).replace(".", "")


def datetime(m: _datetime) -> str:
    """A wall-clock time as it is written (no zone conversion): `2026-12-05 17:58`;
    `5 dic 2026 17:58`."""
    loc = _babel()
    if loc is None:
        return m.isoformat(" ", "minutes")[:16]
    return f"{date(m.date())} {m.hour:02d}:{m.minute:02d}"


def moment(m: _date) -> str:
    """A moment as the file has it, for reading: a day, a wall-clock time, or a time with
    its offset (`2026-12-05 17:58 +0100`; `5 dic 2026 17:58 +0100`). What a person may
    type back (a form's field) stays `dates.show_moment`'s ISO."""
    if not isinstance(m, _datetime):
        return date(m)
    text = datetime(m)
    return text + m.strftime(" %z") if m.utcoffset() is not None else text


def instant(m: _datetime, z: tzinfo) -> str:
    """An instant as the wall-clock time of zone `z`: `2026-12-05 17:58`."""
    return datetime(m.astimezone(z))


def time(m: _datetime) -> str:
    """The time of day: `17:58`."""
    return f"{m.hour:02d}:{m.minute:02d}"


def month(d: _date, short: bool = False) -> str:
    """A month's abbreviation for a column: `Dec`, `dic`; its first letter with `short`."""
    loc = _babel()
    if loc is None:
        name = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")[d.month - 1]
    else:
        from babel.dates import format_date

        name = format_date(d, "LLL", locale=loc).replace(".", "")
    return name[0].upper() if short else name


def month_year(d: _date) -> str:
    """A month: `2026-12`; `dic 2026`."""
    loc = _babel()
    if loc is None:
        return d.strftime("%Y-%m")
    return f"{month(d)} {d.year}"


def number(x: Decimal | float | int, places: int = 0) -> str:
    """A number with `places` decimals, grouped: `14,200.50`; `14.200,50`."""
    q = Decimal(1).scaleb(-places) if places else Decimal(1)
    d = (x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else x)
         ).quantize(q, rounding=ROUND_HALF_UP)
    loc = _babel()
    if loc is None:
        return f"{d:,}"
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(d, pattern, locale=loc, decimal_quantization=True)


def amount(x: Decimal | float | int, currency: str | None = None, whole: bool = False) -> str:
    """An amount in cents (whole units with `whole`): `1,200.00 EUR`; `1.200,00 €`.

    The rule for where the currency shows (`currency`: the settings' `currency`, None
    when they name none, and then an amount is the bare number everywhere):

    - Every amount a person reads in prose carries it: a sentence, a flag, a header
      line, a line per invoice (`due`, `status CLIENT`, the dossier), the meeting
      script and the written confirmation, a notification, the home screen's due line.
    - A table's column of amounts may be bare numbers when its heading, or a line just
      above the table, names the currency (`status --money`: "Per year, in EUR";
      the Pareto and what-if tables). A column whose heading does not name it (the
      dossier's invoices) carries it in each cell.
    """
    places = 0 if whole else 2
    if not isinstance(x, Decimal):
        x = Decimal(repr(x) if isinstance(x, float) else x)
    loc = _babel()
    if loc is None or not currency:
        text = number(x, places)
        return f"{text} {currency}" if currency else text
    from babel.numbers import format_currency

    q = Decimal(1) if whole else Decimal("0.01")
    fmt: Any = None
    if whole:
        fmt = "#,##0\u00a0¤"
    try:
        return format_currency(x.quantize(q, rounding=ROUND_HALF_UP), currency, format=fmt,
                               locale=loc, currency_digits=not whole)
    except Exception:  # a currency CLDR does not know: the number and its code
        return f"{number(x, places)} {currency}"


def long_date(d: _date) -> str:
    """A day as a letter writes it (the meeting script, the written confirmation):
    `2027-01-01` (English keeps ISO); `1 de enero de 2027` (Babel's 'long' format)."""
    loc = _babel()
    if loc is None:
        return d.isoformat()
    from babel.dates import format_date

    return format_date(d, "long", locale=loc)


def percent(x: Decimal | float) -> str:
    """A share as a whole percentage: `34%`; `34 %`."""
    p = Decimal(repr(x) if isinstance(x, float) else x) * 100
    text = number(p, 0)
    return f"{text}%" if _babel() is None else f"{text}\u00a0%"


def duration(days: int, hours: int = 0, minutes: int = 0, seconds: int = 0) -> str:
    """A countdown's two largest units: `2d 03h`, `5h 12m`, `42s`; `2 d 03 h`, each
    number held to its unit by a no-break space (a wrapped line never splits `2` from `d`)."""
    sep = "" if _babel() is None else "\xa0"
    if days:
        return f"{days}{sep}d {hours:02d}{sep}h"
    if hours:
        return f"{hours}{sep}h {minutes:02d}{sep}m"
    if minutes:
        return f"{minutes}{sep}m {seconds:02d}{sep}s"
    return f"{seconds}{sep}s"
