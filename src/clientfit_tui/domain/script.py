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

from . import checklist, dates, rules
from .checklist import DONE, SKIPPED
from .model import Client, Settings
from .report import invoice_line, invoice_name

PLACEHOLDERS = {
    "client": "the client's name",
    "contact": "the contact's name (the client's name when there is none)",
    "today": "today's date",
    "meeting": "how you tell them: in person, by phone or by video (step 8)",
    "reason": "the one short reason (step 5)",
    "notice": "the notice: the period and where it counts from, or the deliverable (step 6)",
    "end_date": "the last day of work (step 6)",
    "deliver": "what is still to deliver: the contract review, your obligations, the "
               "deliverable (steps 2, 3 and 6), one line each",
    "invoices": "the invoices still unpaid, the hold on the meeting, and the final invoice "
                "(step 4), one line each",
    "alternatives": "the referral, or what to say instead (step 7); none for a "
                    "disrespectful client",
    "referral": "the referral as a sentence for the confirmation; empty when there is none",
    "missing": "what the checklist still lacks before the call, one line each",
    "loose_ends": "for the confirmation: what is left open, one line each",
}
"""Every placeholder a template may use, with what it holds (the README lists them too)."""

_LEAD = re.compile(r"[ \t]*(?:[-*•][ \t]+)?")
_ALONE = re.compile(r"[ \t]*\$(?:([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\})[ \t]*", re.I)
HOW = {"in-person": "in person", "phone": "by phone", "video": "by video"}


class TemplateError(ValueError):
    """A template that cannot be filled: `where:line: message`."""


def _missing(what: str, step: int) -> str:
    return f"[missing: {what} (step {step})]"


def _day(v: object) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    return v if isinstance(v, date) else None


def values(c: Client, s: Settings, now: datetime) -> dict[str, str]:
    """The text of every placeholder in `PLACEHOLDERS`, for client `c` at `now`."""
    off = c.offboarding or {}
    steps = checklist.build(c, s, now)
    today = dates.wall(now, s.tz).date()
    end = steps.notice_end
    chosen = "notice" in off or "deliverable" in off
    deliverable = _day(off.get("deliverable"))
    told = _day(off.get("told"))
    out = {"client": c.name, "contact": c.contact or c.name, "today": today.isoformat()}

    meeting = off.get("meeting")
    out["meeting"] = HOW[meeting] if meeting in HOW else \
        _missing("choose in person, by phone or by video", 8)

    reason = off.get("reason")
    if isinstance(reason, str) and reason.strip():
        out["reason"] = reason.strip()
        if rules.sentences(reason) > 1:
            out["reason"] += " [too long: one reason, in one sentence (step 5)]"
    else:
        out["reason"] = _missing(f'one short reason, e.g. "{checklist.REASON_EXAMPLE}"', 5)

    if deliverable is not None:
        out["notice"] = f"until the deliverable of {deliverable.isoformat()}"
    elif "notice" in off:
        since = f"from {told.isoformat()}" if told else "counted from the day you tell them"
        out["notice"] = f"{off['notice']}, {since}"
    else:
        out["notice"] = _missing(f"the notice: the default of {s.notice} would end on "
                                 f"{end.isoformat() if end else '?'}", 6)
    out["end_date"] = end.isoformat() if chosen and end else _missing("the end date", 6)
    end_text = out["end_date"] if chosen and end else "the end date"

    deliver = []
    if "contract_reviewed" not in off:
        where = f"{c.contract}" if c.contract else "no contract on file: the first emails"
        deliver.append(_missing(f"review the contract for loose ends ({where})", 2))
    met = _day(off.get("obligations_met"))
    if met is not None:
        deliver.append(f"Nothing already paid for is left: obligations met on {met.isoformat()}.")
    else:
        deliver.append(_missing("what you still owe, delivered before the call", 3))
    if deliverable is not None:
        deliver.append(f"The deliverable due {deliverable.isoformat()}, which ends the work.")
    out["deliver"] = "\n".join(deliver)

    unpaid = [invoice_line(inv, today) for inv in c.unpaid]
    bills = []
    for line in unpaid:
        inv = line.invoice
        late = f"{line.days_late} days late" if line.days_late else "not due yet"
        bills.append(f"Invoice {invoice_name(inv)}: {inv.amount:,.2f}, due "
                     f"{inv.due.isoformat()} ({late}).")
    if unpaid and off.get("proceed_unpaid") is not True:
        bills.append("[held: get paid before the call, or choose to proceed (step 4)]")
    if not unpaid:
        bills.append("Every invoice so far is paid.")
    bills.append(f"The final invoice, for the work up to {end_text}, follows on that date.")
    out["invoices"] = "\n".join(bills)

    referral = off.get("referral")
    if isinstance(referral, str) and referral.strip():
        out["alternatives"] = referral.strip()
        out["referral"] = f"As I mentioned, for what comes next: {referral.strip()}"
    elif c.disrespectful:
        out["alternatives"] = "None: the client was disrespectful; offer no alternatives."
        out["referral"] = ""
    else:
        out["alternatives"] = _missing("a colleague to refer, or the kind of provider that "
                                       "would suit", 7)
        out["referral"] = ""

    missing = []
    for n, step in enumerate(steps.steps, 1):
        if step.id in ("meeting", "end"):
            break
        if step.state not in (DONE, SKIPPED):
            missing.append(f"Step {n}, {step.title.lower()}: {step.why_held or step.detail}")
    if not isinstance(meeting, str):
        missing.append("Step 8: choose in person, by phone or by video.")
    out["missing"] = "\n".join(missing) if missing else \
        "Nothing: every step before the call is done."

    ends = []
    if deliverable is not None:
        ends.append(f"I will complete the deliverable due {deliverable.isoformat()}.")
    if met is None:
        ends.append(_missing("what is still to deliver, and by when", 3))
    for line in unpaid:
        inv = line.invoice
        ends.append(f"Invoice {invoice_name(inv)} ({inv.amount:,.2f}, due "
                    f"{inv.due.isoformat()}) is still to be paid.")
    ends.append(f"My final invoice, for the work up to {end_text}, will follow on that date.")
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
            raise TemplateError(f"{where}:{line}: unknown placeholder ${name} "
                                f"(known: {', '.join(sorted(known))})")
        if m.group("invalid") is not None:
            raise TemplateError(f"{where}:{line}: a $ that names no placeholder "
                                "(write $$ for a dollar sign)")


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
