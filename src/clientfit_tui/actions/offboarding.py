"""Deciding and offboarding: the decision, reviews, and each step of the checklist.

Every step of the checklist is one entry of `STEPS` (its state is worked out in
`domain.checklist`): a function that takes the client, "now" and the answer to
its question, and gives the edit, a refusal, or the question to ask first.
`act` is the one way in, for the app and the command line alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..domain import checklist, dates, rules
from ..domain.model import MEETINGS, Client, Settings
from ..store import edit
from . import COOLING, NOTHING, Answer, Change, Option, Question, Refusal, Step

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot

SUB = "offboarding"


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a step sees: the client, the settings, and now."""

    client: Client
    settings: Settings
    now: datetime
    snap: Snapshot | None = None
    """The file as read, for the raw items an edit expects to find."""

    @property
    def off(self) -> dict[str, Any]:
        return self.client.offboarding or {}

    @property
    def wall_now(self) -> datetime:
        return dates.wall(self.now, self.settings.tz)

    @property
    def today(self) -> date:
        return self.wall_now.date()

    @property
    def cid(self) -> str:
        return self.client.id

    def set(self, changes: dict[str, Any], said: str, warning: str = "") -> Change:
        return Change(edit.SetKeys(self.cid, changes, sub=SUB), said, warning)


def cooling_refusal(x: Ctx) -> Refusal | None:
    cool = rules.cooling(x.client, x.settings, x.now)
    if cool.active and cool.unlocks:
        return Refusal(f"{x.cid}: refused: cooling off until "
                       f"{dates.show(cool.unlocks, x.settings.tz)} "
                       f"({dates.countdown(cool.left)} left). "
                       "Never decide in the heat of the moment.", kind=COOLING)
    return None


# -- the decision and reviews -------------------------------------------------------

def decide(x: Ctx, answer: Answer | None, confirm: bool = True) -> Step:
    if "decided" in x.off:
        return Refusal(f"{x.cid}: already decided on {dates.show_moment(x.off['decided'])}",
                       kind=NOTHING)
    if x.client.status == "ended":
        return Refusal(f"{x.cid}: the relationship has already ended")
    if (refusal := cooling_refusal(x)) is not None:
        return refusal
    if answer is None and confirm:
        return Question("decide", "confirm", f"Start offboarding {x.client.name}?",
                        "This records the decision, now, calmly.")
    return Change(edit.Many([edit.SetKeys(x.cid, {"status": "offboarding"}),
                             edit.SetKeys(x.cid, {"decided": x.wall_now}, sub=SUB)]),
                  f"Offboarding {x.cid}: decided",
                  facts={"decided": x.wall_now})


def review(x: Ctx, answer: Answer | None) -> Step:
    """Record that ending the relationship was seriously considered, and the outcome."""
    if answer is None:
        return Question("review", "choice", f"You considered ending {x.client.name}. Outcome?",
                        options=(Option("k", "keep", "keep"), Option("e", "end", "end")),
                        value="keep", text_label="Note")
    outcome = answer.choice
    if outcome not in ("keep", "end"):
        return Refusal("the outcome is keep or end")
    if outcome == "end" and (refusal := cooling_refusal(x)) is not None:
        return refusal
    item: dict[str, Any] = {"at": x.wall_now, "outcome": outcome}
    if answer.text.strip():
        item["note"] = answer.text.strip()
    return Change(edit.Append(x.cid, "reviews", item), f"Review of {x.cid}: {outcome}")


# -- the checklist ------------------------------------------------------------------

def _tick(key: str, name: str) -> Callable[[Ctx, Answer | None], Step]:
    def tick(x: Ctx, answer: Answer | None) -> Step:
        if key in x.off:
            return x.set({key: edit.DELETE}, f"Unticked: {name}")
        return x.set({key: x.today}, f"Ticked: {name}")
    return tick


def invoices(x: Ctx, answer: Answer | None) -> Step:
    unpaid = x.client.unpaid
    if not unpaid:
        return Refusal("No unpaid invoices.", kind=NOTHING)
    if answer is None:
        options = [Option(str(i + 1), f"{inv.number or '#'} {inv.amount:,.2f} due {inv.due}",
                          str(inv.index)) for i, inv in enumerate(unpaid[:9])]
        options.append(Option("p", "proceed without payment", "proceed"))
        return Question("invoices", "choice",
                        "Mark an invoice paid today, or proceed without payment?",
                        options=tuple(options), value=options[0].value)
    if answer.choice == "proceed":
        return Question("invoices.proceed", "confirm", "Tell them before they pay?",
                        "If they may not pay what they owe, waiting limits the damage.")
    inv = next((i for i in unpaid if str(i.index) == answer.choice), None)
    if inv is None:
        return Refusal("that invoice is no longer unpaid")
    raw = (x.snap.client_raw(x.cid) or {}).get("invoices") if x.snap is not None else None
    expect = dict(raw[inv.index]) if isinstance(raw, list) and inv.index < len(raw) else None
    return Change(edit.SetKeys(x.cid, {"paid": x.today}, sub="invoices", index=inv.index,
                               expect=expect),
                  f"Invoice {inv.number or '#' + str(inv.index + 1)} marked paid")


def proceed_unpaid(x: Ctx, answer: Answer | None) -> Step:
    if answer is None:
        return invoices(x, Answer("proceed"))
    return x.set({"proceed_unpaid": True}, "Proceeding with invoices unpaid")


def reason(x: Ctx, answer: Answer | None) -> Step:
    if answer is None:
        return Question("reason", "text", "The one reason you will give",
                        "One short sentence: more detail opens the door to an argument.",
                        value=str(x.off.get("reason", "")),
                        placeholder=checklist.REASON_EXAMPLE)
    v = answer.text.strip()
    warning = ("That is more than one sentence: give one reason, not a thousand."
               if rules.sentences(v) > 1 else "")
    return x.set({"reason": v or edit.DELETE}, "Reason saved", warning)


def notice(x: Ctx, answer: Answer | None) -> Step:
    if answer is None:
        current = str(x.off.get("notice") or x.off.get("deliverable") or x.settings.notice)
        return Question("notice", "text", "Notice: a period, or the date of a major deliverable",
                        '"30 days", "2 weeks", "1 month", or a date such as 2026-12-20',
                        value=current)
    text = answer.text.strip()
    if not text:
        return Refusal("Give a period (30 days) or a date.")
    try:
        dates.parse_period(text)
        return x.set({"notice": text, "deliverable": edit.DELETE}, "Notice saved")
    except ValueError:
        pass
    try:
        when = dates.parse_when(text, x.now, x.settings.tz)
    except ValueError:
        return Refusal(f"{text!r} is not a period (30 days, 2 weeks, 1 month) or a date")
    day = when.date() if isinstance(when, datetime) else when
    return x.set({"deliverable": day, "notice": edit.DELETE}, "Notice saved")


def referral(x: Ctx, answer: Answer | None) -> Step:
    if answer is None:
        return Question("referral", "text", "Who or what would suit them better?",
                        "A colleague, or 'a full-service agency'. Empty skips it "
                        "(disrespectful clients only).", value=str(x.off.get("referral", "")))
    text = answer.text.strip()
    if text:
        return x.set({"referral": text, "referral_skipped": edit.DELETE}, "Referral saved")
    if x.client.disrespectful:
        return x.set({"referral_skipped": True, "referral": edit.DELETE}, "Referral skipped")
    return Refusal("Only a client marked disrespectful may go without a referral.")


def meeting(x: Ctx, answer: Answer | None) -> Step:
    step = checklist.build(x.client, x.settings, x.now).step("meeting")
    if step.state == checklist.HELD:
        return Refusal(f"Held back: {step.why_held}. (Invoices step: mark paid or proceed.)")
    if answer is None:
        keys = {"in-person": "i", "phone": "p", "video": "v"}
        return Question("meeting", "choice", "How did you tell them? (Never by email.)",
                        options=tuple(Option(keys[m], m, m) for m in MEETINGS),
                        value=str(x.off.get("meeting", "video")),
                        text_label="When", text_value="now")
    if answer.choice not in MEETINGS:
        return Refusal("in person, by phone or by video: never by email")
    try:
        when = dates.parse_when(answer.text, x.now, x.settings.tz)
    except ValueError as e:
        return Refusal(str(e))
    return x.set({"meeting": answer.choice, "told": when}, f"Told them ({answer.choice})")


def end(x: Ctx, answer: Answer | None) -> Step:
    if answer is None:
        return Question("end", "confirm", f"Mark {x.client.name} as ended?")
    return Change(edit.Many([edit.SetKeys(x.cid, {"status": "ended"}),
                             edit.SetKeys(x.cid, {"ended": x.today}, sub=SUB)]),
                  f"{x.cid}: ended")


STEPS: dict[str, Callable[[Ctx, Answer | None], Step]] = {
    "decide": decide,
    "contract": _tick("contract_reviewed", "contract"),
    "obligations": _tick("obligations_met", "obligations"),
    "invoices": invoices,
    "invoices.proceed": proceed_unpaid,
    "reason": reason,
    "notice": notice,
    "referral": referral,
    "meeting": meeting,
    "end": end,
    "review": review,
}
"""Every action on one client's decision and checklist, by id (the checklist's step ids,
plus the follow-up questions and `review`)."""

def decide_now(snap: Snapshot, now: datetime, cid: str) -> Change | Refusal:
    """Start offboarding `cid` without asking (the command line's `decide`)."""
    client = snap.data.clients.get(cid)
    if client is None:
        return Refusal(f"no client '{cid}'")
    out = decide(Ctx(client, snap.data.settings, now, snap), None, confirm=False)
    assert not isinstance(out, Question)
    return out


_BEFORE_DECISION = ("decide", "invoices", "invoices.proceed", "review")


def act(snap: Snapshot, now: datetime, cid: str, action: str,
        answer: Answer | None = None) -> Step:
    """Do `action` on client `cid`: the edit, a refusal, or the question to ask first."""
    client = snap.data.clients.get(cid)
    if client is None:
        return Refusal(f"no client '{cid}'")
    x = Ctx(client, snap.data.settings, now, snap)
    if action not in _BEFORE_DECISION and "decided" not in x.off:
        return Refusal("Decide first (d): the checklist starts with the decision.")
    return STEPS[action](x, answer)
