"""The words and shapes a person may type for a moment (`--at`, a form's When), in English
and Spanish: both are always read, whatever the reader's language. `dates` reads them;
`plain` first turns the phrases of speech (`el 1 de diciembre a las 17:00`, `anoche`,
`lunes pasado`) into those shapes."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil import parser as dparser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from ..i18n import _

_DAY_AND_TIME = re.compile(r"\s*(today|yesterday|tomorrow|hoy|ayer|anteayer|antes\s+de\s+ayer"
                           r"|mañana|manana)\s+(\S.*)", re.I)
"""`yesterday 22:10`, `ayer 22:10`: a day word, then a time on that day."""
_WORDS = {"now": "now", "ahora": "now", "": "now",
          "today": "today", "hoy": "today",
          "yesterday": "yesterday", "ayer": "yesterday",
          "anteayer": "2 days ago", "antes de ayer": "2 days ago",
          "tomorrow": "tomorrow", "mañana": "tomorrow", "manana": "tomorrow"}
"""The words a person may type for a moment, in English and Spanish (both are always read,
whatever the reader's language), and what each means."""
_SHIFT = {"today": 0, "yesterday": -1, "tomorrow": 1, "2 days ago": -2}
_AMOUNT = r"(\d+(?:[.,]\d+)?|an?|una?|uno)"
_AGO_UNIT = (r"(min(?:uto)?s?|minutes?|h|horas?|hours?|d[ií]as?|days?|semanas?|weeks?)")
_AGO = re.compile(rf"\s*(?:hace\s+{_AMOUNT}\s*{_AGO_UNIT}|{_AMOUNT}\s*{_AGO_UNIT}\s+ago)\s*",
                  re.I)
"""`hace 2 horas`, `hace una hora`, `hace 3 días`; `2 hours ago`, `an hour ago`."""
_AGO_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?=$|\s|T\d)")
"""`1/12/2026`, `1.12.2026`, `1-12-26`, `1/12`: day first in Spanish, month first in
English (as dateutil reads it)."""
_SPANISH_DAYS = {
    "lun": "mon", "lunes": "monday", "mar": "tue", "martes": "tuesday",
    "mie": "wed", "mié": "wed", "miercoles": "wednesday", "miércoles": "wednesday",
    "jue": "thu", "jueves": "thursday", "vie": "fri", "viernes": "friday",
    "sab": "sat", "sáb": "sat", "sabado": "saturday", "sábado": "saturday",
    "dom": "sun", "domingo": "sunday"}
_SPANISH_MONTHS = {
    "ene": "jan", "enero": "january", "febrero": "february", "marzo": "march",
    "abr": "apr", "abril": "april", "mayo": "may", "junio": "june", "julio": "july",
    "ago": "aug", "agosto": "august", "septiembre": "september", "setiembre": "september",
    "set": "sep", "octubre": "october", "noviembre": "november", "dic": "dec",
    "diciembre": "december"}
"""Spanish day and month names (as l10n writes them too: `5 dic 2026`), read as English
for dateutil. "mar" is Tuesday when the text has no other number than a time of day
(`mar 10:00`), else March (`5 mar 2026`)."""


_MONTH_WORDS = {**{w: w for w in ("feb", "jun", "jul", "sep", "oct", "nov")},
                "mar": "march", "sept": "sep", **_SPANISH_MONTHS}
"""A month's Spanish name or abbreviation after `de` (`5 de dic`), in English: `mar` is
March there."""
_DAY_NAMES = "|".join(sorted({*_SPANISH_DAYS, *(n.lower() for pair in
                                                dparser.parserinfo.WEEKDAYS for n in pair)},
                             key=len, reverse=True))
_TIME = r"(?P<h>\d{1,2})(?:[:.h](?P<mi>\d{2}))?(?:\s*(?P<half>[ap])\.?\s?m\.?|h)?"
"""A time of day as said: `17:00`, `9`, `8.30`, `9h`, `9h30`, `9am`, `9 p.m.`."""
_AT = re.compile(rf"(?<!\S)(?:a\s+las?|at)\s+{_TIME}(?!\S)", re.I)
"""`a las 9`, `a la 1`, `at 22:10`, `at 9am`: a time of day, read as `9:00`, `9:00am`."""
_THEN = rf"(?:\s+(?:(?:a\s+las?|at)\s+)?{_TIME})?\s*"
_ARTICLE = re.compile(rf"\s*el\s+(?=\d|(?:{_DAY_NAMES}|pasado)(?!\w))", re.I)
"""The `el` of `el 1 de diciembre`, `el lunes`, `el lunes pasado`, `el pasado lunes`."""
_MONTH_NAMES = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_DAY_OF_MONTH = re.compile(rf"(?<!\S)(0?[1-9]|[12]\d|3[01])\s+de\s+({_MONTH_NAMES})\.?"
                           r"(?:\s+del?\s+(\d{4}))?(?!\S)", re.I)
"""`1 de diciembre`, `5 de dic`, `1 de diciembre de 2026`: read as `1 december 2026`."""
_LAST_DAY = re.compile(rf"\s*(?:(?P<es>{_DAY_NAMES})\s+pasado|pasado\s+(?P<es2>{_DAY_NAMES})"
                       rf"|last\s+(?P<en>{_DAY_NAMES})){_THEN}", re.I)
"""`lunes pasado`, `el pasado lunes`, `last monday`, with a time or not: the latest such day
before today (a week back on that day)."""
_PART_OF_DAY = re.compile(
    rf"\s*(?P<part>anteanoche|anoche|last\s+night|esta\s+ma[ñn]ana|this\s+morning|esta\s+tarde"
    rf"|this\s+afternoon|esta\s+noche|this\s+evening|tonight"
    rf"|(?:hoy|ayer)\s+por\s+la\s+(?:ma[ñn]ana|tarde|noche)"
    rf"|yesterday\s+(?:morning|afternoon|evening)){_THEN}", re.I)
_MORNING, _AFTERNOON, _EVENING, _NIGHT = (9, 0, 12), (16, 12, 21), (21, 18, 23), (22, 18, 23)
_PARTS = {"anteanoche": (-2, *_NIGHT), "anoche": (-1, *_NIGHT), "last night": (-1, *_NIGHT),
          "ayer por la noche": (-1, *_NIGHT), "yesterday evening": (-1, *_NIGHT),
          "esta mañana": (0, *_MORNING), "esta manana": (0, *_MORNING),
          "this morning": (0, *_MORNING), "hoy por la mañana": (0, *_MORNING),
          "hoy por la manana": (0, *_MORNING),
          "ayer por la mañana": (-1, *_MORNING), "ayer por la manana": (-1, *_MORNING),
          "yesterday morning": (-1, *_MORNING),
          "esta tarde": (0, *_AFTERNOON), "this afternoon": (0, *_AFTERNOON),
          "hoy por la tarde": (0, *_AFTERNOON),
          "ayer por la tarde": (-1, *_AFTERNOON), "yesterday afternoon": (-1, *_AFTERNOON),
          "esta noche": (0, *_EVENING), "this evening": (0, *_EVENING),
          "tonight": (0, *_EVENING), "hoy por la noche": (0, *_EVENING)}
"""A part of the day: its day (yesterday or today), the time it means alone, and its
first and last hours. Last night (`anoche`) is 22:00 yesterday, and runs from 18:00 to
the small hours (`anoche a las 2` is 02:00 today); this morning is 09:00 (00:00 to
12:59), this afternoon 16:00 (12:00 to 21:59), this evening or tonight 21:00 (18:00
to 23:59). An hour from 1 to 11 that is not in that part is taken in the afternoon
when that is (`esta tarde a las 5` is 17:00, `anoche a las 11` is 23:00)."""


_OF_THE_DAY = re.compile(r"(?<!\S)(\d{1,2})(?:[:.h](\d{2}))?\s+(?:de\s+la\s+(ma[ñn]ana|madrugada"
                         r"|tarde|noche)|in\s+the\s+(morning|afternoon|evening)|at\s+(night))"
                         r"(?!\S)", re.I)
"""`las 5 de la tarde`, `las 10 de la noche`, `8 in the morning`: an hour of the 12-hour
clock with the part of the day it is in, read as the 24-hour clock (`17:00`)."""


_NUMBER_WORDS = {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
                 "ocho": 8, "nueve": 9, "diez": 10, "two": 2, "three": 3, "four": 4,
                 "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "media": 0.5, "half an": 0.5, "half a": 0.5}
_COUNTED = re.compile(rf"(?<!\S)({'|'.join(_NUMBER_WORDS)})(?=\s+{_AGO_UNIT}(?!\S))", re.I)
"""`hace dos horas`, `media hora`, `three days ago`: a count said in words, before its unit."""
_ISO_AND_HHMM = re.compile(r"(\s*\d{4}-\d{1,2}-\d{1,2})\s+(\d\d)(\d\d)\s*")
"""`2026-11-20 2314`: a date, then a time without its colon (23:14); dateutil would read
the four digits as nothing and keep the day alone."""
_PAUSE = re.compile(r"(?<!\d),|,(?!\d)")
"""A comma between words (`ayer, a las 22:10`), not a decimal comma (`1,5h`)."""


def _of_the_day(m: re.Match[str]) -> str:
    hour, minute = int(m.group(1)), m.group(2) or "00"
    part = (m.group(3) or m.group(4) or m.group(5)).lower()
    if not 1 <= hour <= 12:
        return m.group(0)  # `17 de la tarde`: left for `dates` to refuse
    if part in ("tarde", "afternoon", "evening") or (part in ("noche", "night") and 6 <= hour < 12):
        hour = hour % 12 + 12
    elif part in ("noche", "night", "madrugada"):
        hour = hour % 12  # `las 2 de la noche` is 02:00; `12 de la noche`, midnight
    return f"{hour}:{minute}"


def _clock(m: re.Match[str]) -> str:
    """A time of day matched by `_TIME` as dateutil reads it: `9:00`, `9:30pm`."""
    half = m.group("half")
    return f"{int(m.group('h'))}:{m.group('mi') or '00'}" + (f"{half}m" if half else "")


def _part_of_day(m: re.Match[str], today: date) -> tuple[str, str]:
    """A part of the day's moment (ISO) and how it is named when it has not happened."""
    phrase = " ".join(m.group("part").lower().split())
    shift, hour, first, last = _PARTS[phrase]
    minute = 0
    if m.group("h") is not None:
        hour, minute, half = int(m.group("h")), int(m.group("mi") or 0), m.group("half")
        if half is not None:
            if not 1 <= hour <= 12:
                raise ValueError(_("not a date or time"))
            hour = hour % 12 + (12 if half.lower() == "p" else 0)
        elif 1 <= hour <= 11 and not first <= hour <= last and first <= hour + 12 <= last:
            hour += 12
        if hour > 23 or minute > 59:
            raise ValueError(_("not a date or time"))
        if shift < 0 and first == 18 and hour < 6:
            shift += 1  # the small hours after that night's midnight
        elif not first <= hour <= last:
            end = "05:59" if shift == -1 else f"{last:02d}:59"
            raise ValueError(_("{phrase} is from {start} to {end}; {time} is not")
                             .format(phrase=repr(phrase), start=f"{first:02d}:00", end=end,
                                     time=f"{hour:02d}:{minute:02d}"))
    clock = f"{hour:02d}:{minute:02d}"
    return f"{(today + timedelta(days=shift)).isoformat()} {clock}", f"{phrase} ({clock})"


def plain(text: str, today: date) -> tuple[str, str | None]:
    """`text` with its phrases of speech in the shapes `dates` reads, and, for a part of
    the day (`esta tarde`, `last night`), its name and time, to say it has not happened
    yet. `el 1 de diciembre de 2026 a las 17:00` is `1 december 2026 17:00`; `ayer a las
    22:10`, `ayer 22:10`; `el lunes`, `lunes`; `lunes pasado` and `last monday`, the
    latest Monday before `today`, as an ISO date; `anoche` and the like, an ISO date and
    time (see `_PARTS`). Any other text is kept as it is; anything left over (`el`, `de
    diciembre`, `a las`) is for `dates` to refuse. ValueError for a time outside the
    part of the day it is said in (`esta tarde a las 10`)."""
    if text.strip().isdigit():  # `3`: the 3rd of this month to dateutil, never meant
        raise ValueError(_("a number alone is not a moment: say a day and month (3 dic), "
                           "a time (15:00) or how long ago (-3h)"))
    said = text[article.end():] if (article := _ARTICLE.match(text)) else text
    said = _ISO_AND_HHMM.sub(r"\1 \2:\3", said) if _ISO_AND_HHMM.fullmatch(said) else said
    said = _OF_THE_DAY.sub(_of_the_day, " ".join(_PAUSE.sub(" ", said).split()))
    if not said and text.strip():  # `,`: no words left, and no moment either
        raise ValueError(_("not a date or time"))
    said = _COUNTED.sub(lambda m: str(_NUMBER_WORDS[" ".join(m.group(1).lower().split())]),
                        said)
    said = _DAY_OF_MONTH.sub(lambda m: f"{m.group(1)} {_MONTH_WORDS[m.group(2).lower()]}"
                             + (f" {m.group(3)}" if m.group(3) else ""), said)
    if (part := _PART_OF_DAY.fullmatch(said)) is not None:
        return _part_of_day(part, today)
    if (last := _LAST_DAY.fullmatch(said)) is not None:
        name = (last.group("es") or last.group("es2") or last.group("en")).lower()
        wd = dparser.parserinfo().weekday(_SPANISH_DAYS.get(name, name))
        assert wd is not None
        day = today - timedelta(days=1) + relativedelta(weekday=(MO, TU, WE, TH, FR, SA, SU)[wd](-1))
        return day.isoformat() + (f" {_clock(last)}" if last.group("h") else ""), None
    return _AT.sub(_clock, said), None
