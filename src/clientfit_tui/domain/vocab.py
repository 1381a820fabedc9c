"""The words of the file format: the values a key may take, and the shape of an id."""

import re

from ..i18n import N_, _

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

LABELS = {
    "active": N_("active"), "watch": N_("watch"), "offboarding": N_("offboarding"),
    "ended": N_("ended"),
    "after-hours": N_("after hours"), "vague-feedback": N_("vague feedback"),
    "late-payment": N_("late payment"), "scope-creep": N_("scope creep"),
    "disrespect": N_("disrespect"), "other": N_("other"),
    "keep": N_("keep"), "end": N_("end"),
    "in-person": N_("in person"), "phone": N_("by phone"), "video": N_("by video"),
    # a checklist step's state (checklist.DONE ...) and an invoice's (report.InvoiceLine)
    "done": N_("done"), "todo": N_("to do"), "held": N_("held"), "skipped": N_("skipped"),
    "warn": N_("warning"),
    "paid": N_("paid"), "paid late": N_("paid late"), "overdue": N_("overdue"),
    # TRANSLATORS: an invoice not paid and not due yet
    "open": N_("open, not due yet"),
}
"""How each stored value reads to a person (the file keeps the value itself)."""


def label(value: str) -> str:
    """A stored value (status, kind, outcome, meeting; a step's or an invoice's state) in
    the reader's language: the file's
    own words in English ("after-hours"), translated in Spanish ("fuera de horario").
    A value clientfit does not know is shown as it is."""
    from ..i18n import language

    if value not in LABELS or language() == "en":
        return value
    return _(LABELS[value])
