"""The offboarding checklist: each step of the advice, its state, and what holds it back.

The state lives in `[clients.ID.offboarding]` (see the README for the keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import dates, rules
from .model import Client, Settings

DONE, TODO, HELD, SKIPPED, WARN = "done", "todo", "held", "skipped", "warn"
STEP_IDS = ("decide", "contract", "obligations", "invoices", "reason", "notice", "referral",
            "meeting", "end")
REASON_EXAMPLE = "I no longer think my services meet your needs."


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    state: str
    """done | todo | held | skipped | warn"""
    detail: str
    """What the step holds or needs, in one or two short lines."""
    why_held: str = ""


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]
    notice_end: date | None

    @property
    def progress(self) -> tuple[int, int]:
        return sum(1 for s in self.steps if s.state in (DONE, SKIPPED)), len(self.steps)

    def step(self, sid: str) -> Step:
        return next(s for s in self.steps if s.id == sid)


def notice_end(c: Client, s: Settings, today: date) -> date:
    """The last day of notice: a deliverable's date, or the notice period from telling them."""
    off = c.offboarding or {}
    deliverable = off.get("deliverable")
    if isinstance(deliverable, date):
        return deliverable if not isinstance(deliverable, datetime) else deliverable.date()
    told = off.get("told")
    base = today
    if isinstance(told, datetime):
        base = told.date()
    elif isinstance(told, date):
        base = told
    period = off.get("notice") if isinstance(off.get("notice"), str) else s.notice
    return base + dates.parse_period(str(period))


def _done(off: dict[str, Any], key: str) -> str:
    v = off.get(key)
    return dates.show_moment(v) if isinstance(v, date) else ""


def build(c: Client, s: Settings, now: datetime) -> Checklist:
    """Every step of the checklist for one client, at `now`."""
    off = c.offboarding or {}
    today = dates.wall(now, s.tz).date()
    steps: list[Step] = []
    cool = rules.cooling(c, s, now)

    decided = _done(off, "decided")
    if decided:
        steps.append(Step("decide", "Decide, calmly", DONE, f"decided {decided}"))
    elif cool.active and cool.unlocks:
        steps.append(Step("decide", "Decide, calmly", HELD,
                          f"cooling off: unlocks {dates.show(cool.unlocks, s.tz)}",
                          f"decision unlocks in {dates.countdown(cool.left)}"))
    else:
        steps.append(Step("decide", "Decide, calmly", TODO,
                          "cooling-off is over: decide with a clear head"))

    where = f"contract: {c.contract}" if c.contract else \
        "no contract on file: gather every email and document that set scope"
    reviewed = _done(off, "contract_reviewed")
    steps.append(Step("contract", "Review the contract, every line and loose end",
                      DONE if reviewed else TODO, f"reviewed {reviewed}" if reviewed else where))

    met = _done(off, "obligations_met")
    steps.append(Step("obligations", "Meet your obligations; deliver what was paid for",
                      DONE if met else TODO, f"done {met}" if met else
                      "finish what you owe before you tell them"))

    unpaid = c.unpaid
    owed = sum(i.amount for i in unpaid)
    if not unpaid:
        steps.append(Step("invoices", "Get paid before you tell them", DONE,
                          "no unpaid invoices"))
    else:
        listing = ", ".join(f"{i.number or '#' + str(i.index + 1)} {i.amount:,.2f} due {i.due}"
                            for i in unpaid[:3]) + (" ..." if len(unpaid) > 3 else "")
        if off.get("proceed_unpaid") is True:
            steps.append(Step("invoices", "Get paid before you tell them", WARN,
                              f"proceeding with {owed:,.2f} unpaid: {listing}"))
        else:
            steps.append(Step("invoices", "Get paid before you tell them", TODO,
                              f"{len(unpaid)} unpaid, {owed:,.2f} owed: {listing}"))

    reason = off.get("reason")
    if isinstance(reason, str) and reason.strip():
        n = rules.sentences(reason)
        steps.append(Step("reason", "One short reason", WARN if n > 1 else DONE,
                          (f"{n} sentences: give one reason, not a thousand" if n > 1
                           else f'"{reason.strip()}"')))
    else:
        steps.append(Step("reason", "One short reason", TODO, f'e.g. "{REASON_EXAMPLE}"'))

    end = notice_end(c, s, today)
    how = (f"until the deliverable of {end}" if "deliverable" in off
           else f"{off.get('notice', s.notice)}: ends {end}")
    chosen = "notice" in off or "deliverable" in off
    regular = "" if c.regular else " (not regular work: notice is a courtesy)"
    steps.append(Step("notice", "Give enough notice", DONE if chosen else TODO,
                      how + regular))

    referral = off.get("referral")
    if isinstance(referral, str) and referral.strip():
        steps.append(Step("referral", "Offer alternatives", DONE, referral.strip()))
    elif off.get("referral_skipped") is True and c.disrespectful:
        steps.append(Step("referral", "Offer alternatives", SKIPPED,
                          "skipped: the client was disrespectful"))
    elif off.get("referral_skipped") is True:
        steps.append(Step("referral", "Offer alternatives", WARN,
                          "skipped, but only a disrespectful client may go without one"))
    else:
        extra = " (may be skipped: disrespectful)" if c.disrespectful else ""
        steps.append(Step("referral", "Offer alternatives", TODO,
                          "a colleague, or the kind of provider that would suit" + extra))

    told = _done(off, "told")
    meeting = off.get("meeting")
    via = f" ({meeting})" if isinstance(meeting, str) else ""
    if told:
        steps.append(Step("meeting", "Tell them face to face", DONE, f"told {told}{via}"))
    else:
        held = ""
        if not decided:
            held = "decide first"
        elif unpaid and off.get("proceed_unpaid") is not True:
            held = f"held: {len(unpaid)} invoice(s) unpaid, {owed:,.2f} owed"
        steps.append(Step("meeting", "Tell them face to face", HELD if held else TODO,
                          "in person, by phone or by video; never just stop answering",
                          held))

    ended = _done(off, "ended")
    if ended or c.status == "ended":
        steps.append(Step("end", "Close the relationship", DONE,
                          f"ended {ended}" if ended else "status: ended"))
    else:
        steps.append(Step("end", "Close the relationship", TODO,
                          f"mark it ended when the notice ends ({end})"))
    return Checklist(tuple(steps), end)
