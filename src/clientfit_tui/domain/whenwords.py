"""The words and shapes a person may type for a moment (`--at`, a form's When), in English
and Spanish: both are always read, whatever the reader's language. `dates` reads them."""

from __future__ import annotations

import re

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
