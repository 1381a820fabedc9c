"""The words for the meeting, and the written confirmation after it, from the checklist.

`values(client, settings, now)` gives every placeholder's text: what the checklist holds,
or, where a step is not done yet, what is missing (never an invented value). `render`
fills a template written with `$placeholder` (or `${placeholder}`); a template naming
a placeholder that does not exist is a `TemplateError` with its line.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from string import Template

from .. import l10n
from ..i18n import N_, _, language, ngettext
from . import checklist, dates, rules
from .checklist import DONE, SKIPPED
from .model import Client, Settings
from .report import invoice_line, invoice_name

PLACEHOLDERS = {
    "client": N_("the client's name"),
    "contact": N_("the contact's name (the client's name when there is none)"),
    "today": N_("today's date"),
    "meeting": N_("how you tell them: in person, by phone or by video (step 8)"),
    "reason": N_("the one short reason (step 5)"),
    "notice": N_("the notice: the period and where it counts from, or the deliverable "
                 "(step 6)"),
    "end_date": N_("the last day of work (step 6)"),
    "deliver": N_("what is still to deliver: the contract review, your obligations, the "
                  "deliverable (steps 2, 3 and 6), one line each"),
    "invoices": N_("the invoices still unpaid, the hold on the meeting, and the final invoice "
                   "(step 4), one line each"),
    "alternatives": N_("the referral, or what to say instead (step 7); none for a "
                       "disrespectful client"),
    "referral": N_("the referral as a sentence for the confirmation; empty when there is "
                   "none"),
    "missing": N_("what the checklist still lacks before the call, one line each"),
    "loose_ends": N_("for the confirmation: what is left open, one line each"),
}
"""Every placeholder a template may use, with what it holds (the README lists them too).
The descriptions are marked for translation: show them with `described()`."""

_LEAD = re.compile(r"[ \t]*(?:[-*•][ \t]+)?")
_ALONE = re.compile(r"[ \t]*\$(?:([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\})[ \t]*", re.I)
HOW = {"in-person": N_("in person"), "phone": N_("by phone"), "video": N_("by video")}
"""How the meeting is held, as the script says it (translated where it is said)."""
_PERIOD = re.compile(r"\s*(\d+)\s*(day|week|month|year)s?\s*", re.I)


class TemplateError(ValueError):
    """A template that cannot be filled: `where:line: message`."""


def described() -> dict[str, str]:
    """Every placeholder and what it holds, in the reader's language."""
    return {k: _(v) for k, v in PLACEHOLDERS.items()}


def _missing(what: str, step: int) -> str:
    return _("[missing: {what} (step {step})]").format(what=what, step=step)


def _day(v: object) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    return v if isinstance(v, date) else None


def period(text: str) -> str:
    """A notice period as the file writes it ("30 days", "1 month"), in the reader's
    language; as written in English, or when it is not one number and one unit."""
    m = _PERIOD.fullmatch(text)
    if language() == "en" or m is None:
        return text
    n, unit = int(m.group(1)), m.group(2).lower()
    if unit == "day":
        return ngettext("{n} day", "{n} days", n).format(n=n)
    if unit == "week":
        return ngettext("{n} week", "{n} weeks", n).format(n=n)
    if unit == "month":
        return ngettext("{n} month", "{n} months", n).format(n=n)
    return ngettext("{n} year", "{n} years", n).format(n=n)


def values(c: Client, s: Settings, now: datetime) -> dict[str, str]:
    """The text of every placeholder in `PLACEHOLDERS`, for client `c` at `now`, in the
    reader's language (dates as a letter writes them, `l10n.long_date`; amounts with the
    settings' currency, `l10n.amount`)."""
    off = c.offboarding or {}
    steps = checklist.build(c, s, now)
    today = dates.wall(now, s.tz).date()
    end = steps.notice_end
    chosen = "notice" in off or "deliverable" in off
    deliverable = _day(off.get("deliverable"))
    told = _day(off.get("told"))
    out = {"client": c.name, "contact": c.contact or c.name, "today": l10n.long_date(today)}

    meeting = off.get("meeting")
    out["meeting"] = _(HOW[meeting]) if meeting in HOW else \
        _missing(_("choose in person, by phone or by video"), 8)

    reason = off.get("reason")
    if isinstance(reason, str) and reason.strip():
        out["reason"] = reason.strip()
        if rules.sentences(reason) > 1:
            out["reason"] += " " + _("[too long: one reason, in one sentence (step 5)]")
    else:
        out["reason"] = _missing(_('one short reason, e.g. "{example}"').format(
            example=_(checklist.REASON_EXAMPLE)), 5)

    if deliverable is not None:
        out["notice"] = _("until the deliverable of {day}").format(day=l10n.long_date(deliverable))
    elif "notice" in off:
        notice = period(str(off["notice"]))
        out["notice"] = _("{notice}, from {day}").format(notice=notice, day=l10n.long_date(told)) \
            if told else _("{notice}, counted from the day you tell them").format(notice=notice)
    else:
        out["notice"] = _missing(_("the notice: the default of {notice} would end on {day}").format(
            notice=period(s.notice), day=l10n.long_date(end) if end else "?"), 6)
    out["end_date"] = l10n.long_date(end) if chosen and end else _missing(_("the end date"), 6)

    deliver = []
    if "contract_reviewed" not in off:
        where = f"{c.contract}" if c.contract else _("no contract on file: the first emails")
        deliver.append(_missing(_("review the contract for loose ends ({where})").format(
            where=where), 2))
    met = _day(off.get("obligations_met"))
    if met is not None:
        deliver.append(_("Nothing already paid for is left: obligations met on {day}.").format(
            day=l10n.long_date(met)))
    else:
        deliver.append(_missing(_("what you still owe, delivered before the call"), 3))
    if deliverable is not None:
        deliver.append(_("The deliverable due {day}, which ends the work.").format(
            day=l10n.long_date(deliverable)))
    out["deliver"] = "\n".join(deliver)

    unpaid = [invoice_line(inv, today) for inv in c.unpaid]
    bills = []
    for line in unpaid:
        inv = line.invoice
        late = ngettext("{n} day late", "{n} days late", line.days_late).format(
            n=line.days_late) if line.days_late else _("not due yet")
        bills.append(_("Invoice {name}: {amount}, due {day} ({late}).").format(
            name=invoice_name(inv), amount=l10n.amount(inv.amount, s.currency),
            day=l10n.long_date(inv.due), late=late))
    if unpaid and off.get("proceed_unpaid") is not True:
        bills.append(_("[held: get paid before the call, or choose to proceed (step 4)]"))
    if not unpaid:
        bills.append(_("Every invoice so far is paid."))
    bills.append(_("The final invoice, for the work up to {end}, follows on that date.").format(
        end=out["end_date"]) if chosen and end else
        _("The final invoice, for the work up to the end date, follows on that date."))
    out["invoices"] = "\n".join(bills)

    referral = off.get("referral")
    if isinstance(referral, str) and referral.strip():
        out["alternatives"] = referral.strip()
        out["referral"] = _("As I mentioned, for what comes next: {referral}").format(
            referral=referral.strip())
    elif c.disrespectful:
        out["alternatives"] = _("None: the client was disrespectful; offer no alternatives.")
        out["referral"] = ""
    else:
        out["alternatives"] = _missing(_("a colleague to refer, or the kind of provider that "
                                         "would suit"), 7)
        out["referral"] = ""

    missing = []
    for n, step in enumerate(steps.steps, 1):
        if step.id in ("meeting", "end"):
            break
        if step.state not in (DONE, SKIPPED):
            missing.append(_("Step {n}, {title}: {why}").format(
                n=n, title=_(step.title).lower(), why=step.why_held or step.detail))
    if not isinstance(meeting, str):
        missing.append(_("Step 8: choose in person, by phone or by video."))
    out["missing"] = "\n".join(missing) if missing else \
        _("Nothing: every step before the call is done.")

    ends = []
    if deliverable is not None:
        ends.append(_("I will complete the deliverable due {day}.").format(
            day=l10n.long_date(deliverable)))
    if met is None:
        ends.append(_missing(_("what is still to deliver, and by when"), 3))
    for line in unpaid:
        inv = line.invoice
        ends.append(_("Invoice {name} ({amount}, due {day}) is still to be paid.").format(
            name=invoice_name(inv), amount=l10n.amount(inv.amount, s.currency),
            day=l10n.long_date(inv.due)))
    ends.append(_("My final invoice, for the work up to {end}, will follow on that date.").format(
        end=out["end_date"]) if chosen and end else
        _("My final invoice, for the work up to the end date, will follow on that date."))
    out["loose_ends"] = "\n".join(ends)
    return out


def check(text: str, where: str, names: frozenset[str] | None = None) -> None:
    """TemplateError for the first placeholder not in `names` (default: `PLACEHOLDERS`),
    or a `$` that starts none (a dollar sign is written `$$`)."""
    known = names if names is not None else frozenset(PLACEHOLDERS)
    for m in Template.pattern.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        name = m.group("named") or m.group("braced")
        if name is not None and name not in known:
            raise TemplateError(f"{where}:{line}: " + _(
                "unknown placeholder ${name} (known: {known})").format(
                name=name, known=", ".join(sorted(known))))
        if m.group("invalid") is not None:
            raise TemplateError(f"{where}:{line}: " + _(
                "a $ that names no placeholder (write $$ for a dollar sign)"))


def render(text: str, vals: dict[str, str], where: str) -> str:
    """The template filled in. A value of several lines repeats, on each of its lines,
    what comes before its placeholder when that is only an indent or a bullet ("- ")."""
    check(text, where, frozenset(vals))
    text = _drop_empty_lines(text, vals)

    def fill(m: re.Match[str]) -> str:
        if m.group("escaped") is not None:
            return "$"
        value = vals[m.group("named") or m.group("braced")]
        start = text.rfind("\n", 0, m.start()) + 1
        lead = text[start:m.start()]
        if not _LEAD.fullmatch(lead):
            lead = ""
        return value.replace("\n", "\n" + lead)

    return Template.pattern.sub(fill, text)


def _drop_empty_lines(text: str, vals: dict[str, str]) -> str:
    """Without the lines that hold only a placeholder whose value is empty, each with the
    blank line before it (so that an empty paragraph leaves no gap)."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        m = _ALONE.fullmatch(line.rstrip("\r\n"))
        if m is not None and vals.get(m.group(1) or m.group(2)) == "":
            if out and not out[-1].strip():
                out.pop()
            continue
        out.append(line)
    return "".join(out)
