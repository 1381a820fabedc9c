"""The words of the file format: the values a key may take, and the shape of an id."""

import re

STATUSES = ("active", "watch", "offboarding", "ended")
KINDS = ("after-hours", "vague-feedback", "late-payment", "scope-creep", "disrespect", "other")
KIND_KEYS = {"a": "after-hours", "v": "vague-feedback", "l": "late-payment",
             "s": "scope-creep", "d": "disrespect", "o": "other"}
"""Each kind's one-letter key (the app's form and `log --kind`)."""
OUTCOMES = ("keep", "end")
MEETINGS = ("in-person", "phone", "video")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CURRENCY = re.compile(r"[A-Z]{3}")
CLIENT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
