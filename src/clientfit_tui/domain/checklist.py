"""The offboarding checklist: each step of the advice, its state, what holds it back,
and what doing it writes.

A step is one class here, in the order of `STEPS`: its `state` (done, to do,
held and why) and its `act` (the keys it writes, a refusal, or the question to
ask first). To add a step, write its class and add it to `STEPS`: the app's
checklist, `status`, and the actions layer take it from there.

The state lives in `[clients.ID.offboarding]` (see the README for the keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from . import dates, rules
from .model import MEETINGS, Client, Invoice, Settings
from .outcome import COOLING, NOTHING, Answer, Option, Question, Refusal

DONE, TODO, HELD, SKIPPED, WARN = "done", "todo", "held", "skipped", "warn"
REASON_EXAMPLE = "I no longer think my services meet your needs."
YES = "yes"
UNTICK = "untick"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""A value in `Writes` that removes the key."""


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
        """Steps done, of all: none before the decision (the checklist starts there)."""
        if not self.steps or self.steps[0].state != DONE:
            return 0, len(self.steps)
        return sum(1 for s in self.steps if s.state in (DONE, SKIPPED)), len(self.steps)

    def step(self, sid: str) -> Step:
        return next(s for s in self.steps if s.id == sid)


@dataclass(frozen=True)
class Writes:
    """What doing a step writes (`UNSET` removes a key), and what to say."""

    said: str
    offboarding: dict[str, Any] = field(default_factory=dict)
    """Keys of the client's `offboarding` table."""
    client: dict[str, Any] = field(default_factory=dict)
    """Keys of the client's own table."""
    invoice: tuple[int, dict[str, Any]] | None = None
    """One invoice (its position in the file) and its keys."""
    warning: str = ""
    """Written, but not as the advice would have it."""
    facts: dict[str, Any] = field(default_factory=dict)
    then: str = ""
    """The step to go on with once this is written ("" for none)."""


Act = Writes | Refusal | Question


class View:
    """What a step sees: the client, the settings and now (and what follows from them)."""

    def __init__(self, client: Client, settings: Settings, now: datetime) -> None:
        self.client = client
        self.settings = settings
        self.now = now
        self.off: dict[str, Any] = client.offboarding or {}
        self.wall_now = dates.local(now, settings.tz)
        """Now, as written in the file (with its offset in an hour the clocks repeat)."""
        self.today = self.wall_now.date()

    @cached_property
    def cooling(self) -> rules.Cooling:
        return rules.cooling(self.client, self.settings, self.now)

    @cached_property
    def unpaid(self) -> tuple[Invoice, ...]:
        return self.client.unpaid

    @property
    def owed(self) -> float:
        return sum(i.amount for i in self.unpaid)

    @property
    def decided(self) -> bool:
        return "decided" in self.off

    def done_on(self, key: str) -> str:
        v = self.off.get(key)
        return dates.show_moment(v) if isinstance(v, date) else ""

    def cooling_refusal(self) -> Refusal | None:
        cool = self.cooling
        if cool.active and cool.unlocks:
            return Refusal(f"{self.client.id}: refused: cooling off until "
                           f"{dates.show(cool.unlocks, self.settings.tz)} "
                           f"({dates.countdown(cool.left)} left). "
                           "Never decide in the heat of the moment.", kind=COOLING)
        return None


notice_end = rules.notice_end
AHEAD = timedelta(minutes=5)
"""How far ahead of now a moment that happened may be (clocks differ a little)."""


class StepSpec:
    """One step of the checklist."""

    id = ""
    title = ""
    before_decision = False
    """May be done before the decision is recorded."""

    def state(self, v: View) -> Step:
        raise NotImplementedError

    def act(self, v: View, answer: Answer | None) -> Act:
        raise NotImplementedError

    def make(self, state: str, detail: str, why_held: str = "") -> Step:
        return Step(self.id, self.title, state, detail, why_held)


class Decide(StepSpec):
    id, title, before_decision = "decide", "Decide, calmly", True

    def state(self, v: View) -> Step:
        if v.decided:
            return self.make(DONE, f"decided {v.done_on('decided')}")
        if v.cooling.active and v.cooling.unlocks:
            return self.make(HELD, f"cooling off: unlocks "
                                   f"{dates.show(v.cooling.unlocks, v.settings.tz)}",
                             f"decision unlocks in {dates.countdown(v.cooling.left)}")
        return self.make(TODO, "cooling-off is over: decide with a clear head")

    def act(self, v: View, answer: Answer | None) -> Act:
        c = v.client
        if v.decided:
            return Refusal(f"{c.id}: already decided on {dates.show_moment(v.off['decided'])}",
                           kind=NOTHING)
        if c.status == "ended":
            return Refusal(f"{c.id}: the relationship has already ended")
        if (refusal := v.cooling_refusal()) is not None:
            return refusal
        if answer is None:
            return Question(self.id, "confirm", f"Start offboarding {c.name}?",
                            "This records the decision, now, calmly.", value=YES)
        return Writes(f"Offboarding {c.id}: decided", offboarding={"decided": v.wall_now},
                      client={"status": "offboarding"}, facts={"decided": v.wall_now})


class Tick(StepSpec):
    """A step done by ticking it: the day it was done, under `key`."""

    key = ""
    todo = ""
    done_word = "done"

    def detail(self, v: View) -> str:
        return self.todo

    def state(self, v: View) -> Step:
        done = v.done_on(self.key)
        if done:
            return self.make(DONE, f"{self.done_word} {done}")
        return self.make(TODO, self.detail(v))

    def act(self, v: View, answer: Answer | None) -> Act:
        if self.key in v.off:
            if answer is None or answer.choice != UNTICK:
                return Question(self.id, "confirm",
                                f"Untick '{self.title}' (done {v.done_on(self.key)})?",
                                value=UNTICK)
            return Writes(f"Unticked: {self.id}", offboarding={self.key: UNSET})
        return Writes(f"Ticked: {self.id}", offboarding={self.key: v.today})


class Contract(Tick):
    id, title, key = "contract", "Review the contract, every line and loose end", \
        "contract_reviewed"
    done_word = "reviewed"

    def detail(self, v: View) -> str:
        return (f"contract: {v.client.contract}" if v.client.contract else
                "no contract on file: gather every email and document that set scope")


class Obligations(Tick):
    id, title, key = "obligations", "Meet your obligations; deliver what was paid for", \
        "obligations_met"
    todo = "finish what you owe before you tell them"


def _invoice_line(i: Invoice) -> str:
    return f"{i.number or '#' + str(i.index + 1)} {i.amount:,.2f} due {i.due}"


class Invoices(StepSpec):
    id, title, before_decision = "invoices", "Get paid before you tell them", True
    PROCEED, PROCEED_CONFIRMED = "proceed", "proceed-confirmed"

    def state(self, v: View) -> Step:
        if not v.unpaid:
            return self.make(DONE, "no unpaid invoices")
        listing = ", ".join(_invoice_line(i) for i in v.unpaid[:3]) + \
            (" ..." if len(v.unpaid) > 3 else "")
        if v.off.get("proceed_unpaid") is True:
            return self.make(WARN, f"proceeding with {v.owed:,.2f} unpaid: {listing}")
        return self.make(TODO, f"{len(v.unpaid)} unpaid, {v.owed:,.2f} owed: {listing}")

    def act(self, v: View, answer: Answer | None) -> Act:
        if not v.unpaid:
            return Refusal("No unpaid invoices.", kind=NOTHING)
        if answer is None:
            options = [Option(str(n + 1), _invoice_line(i), str(i.index))
                       for n, i in enumerate(v.unpaid[:9])]
            options.append(Option("p", "proceed without payment", self.PROCEED))
            return Question(self.id, "choice",
                            "Mark an invoice paid today, or proceed without payment?",
                            options=tuple(options), value=options[0].value)
        if answer.choice == self.PROCEED:
            return Question(self.id, "confirm", "Tell them before they pay?",
                            "If they may not pay what they owe, waiting limits the damage.",
                            value=self.PROCEED_CONFIRMED)
        if answer.choice == self.PROCEED_CONFIRMED:
            return Writes("Proceeding with invoices unpaid",
                          offboarding={"proceed_unpaid": True})
        inv = next((i for i in v.unpaid if str(i.index) == answer.choice), None)
        if inv is None:
            return Refusal("that invoice is no longer unpaid")
        return Writes(f"Invoice {inv.number or '#' + str(inv.index + 1)} marked paid",
                      invoice=(inv.index, {"paid": v.today}))


class Reason(StepSpec):
    id, title = "reason", "One short reason"

    def state(self, v: View) -> Step:
        reason = v.off.get("reason")
        if isinstance(reason, str) and reason.strip():
            n = rules.sentences(reason)
            if n > 1:
                return self.make(WARN, f"{n} sentences: give one reason, not a thousand")
            return self.make(DONE, f'"{reason.strip()}"')
        return self.make(TODO, f'e.g. "{REASON_EXAMPLE}"')

    def act(self, v: View, answer: Answer | None) -> Act:
        if answer is None:
            return Question(self.id, "text", "The one reason you will give",
                            "One short sentence: more detail opens the door to an argument.",
                            value=str(v.off.get("reason", "")),
                            placeholder=f"e.g. {REASON_EXAMPLE}")
        text = answer.text.strip()
        if not text:
            if not v.off.get("reason"):
                return Refusal(f'Give one reason, in one short sentence: e.g. "{REASON_EXAMPLE}"')
            return Writes("Reason removed", offboarding={"reason": UNSET})
        warning = ("That is more than one sentence: give one reason, not a thousand."
                   if rules.sentences(text) > 1 else "")
        return Writes("Reason saved", offboarding={"reason": text or UNSET}, warning=warning)


class Notice(StepSpec):
    id, title = "notice", "Give enough notice"

    def state(self, v: View) -> Step:
        end = notice_end(v.client, v.settings, v.today)
        how = (f"until the deliverable of {end}" if "deliverable" in v.off
               else f"{v.off.get('notice', v.settings.notice)}: ends {end}")
        chosen = "notice" in v.off or "deliverable" in v.off
        regular = "" if v.client.regular else " (not regular work: notice is a courtesy)"
        return self.make(DONE if chosen else TODO, how + regular)

    def act(self, v: View, answer: Answer | None) -> Act:
        if answer is None:
            current = str(v.off.get("notice") or v.off.get("deliverable") or v.settings.notice)
            return Question(self.id, "text",
                            "Notice: a period, or the date of a major deliverable",
                            '"30 days", "2 weeks", "1 month", or a date such as 2026-12-20',
                            value=current)
        text = answer.text.strip()
        if not text:
            return Refusal("Give a period (30 days) or a date.")
        try:
            dates.parse_period(text)
            return Writes("Notice saved", offboarding={"notice": text, "deliverable": UNSET})
        except ValueError:
            pass
        try:
            when = dates.parse_when(text, v.now, v.settings.tz)
        except (ValueError, OverflowError):
            return Refusal(f"{text!r} is not a period (30 days, 2 weeks, 1 month) or a date")
        day = when.date() if isinstance(when, datetime) else when
        if day < v.today:
            return Refusal(f"{day} has passed: the notice would be over before it starts")
        return Writes("Notice saved", offboarding={"deliverable": day, "notice": UNSET})


class Referral(StepSpec):
    id, title = "referral", "Offer alternatives"

    def state(self, v: View) -> Step:
        referral = v.off.get("referral")
        if isinstance(referral, str) and referral.strip():
            return self.make(DONE, referral.strip())
        if v.off.get("referral_skipped") is True and v.client.disrespectful:
            return self.make(SKIPPED, "skipped: the client was disrespectful")
        if v.off.get("referral_skipped") is True:
            return self.make(WARN, "skipped, but only a disrespectful client may go without one")
        extra = " (may be skipped: disrespectful)" if v.client.disrespectful else ""
        return self.make(TODO, "a colleague, or the kind of provider that would suit" + extra)

    def act(self, v: View, answer: Answer | None) -> Act:
        if answer is None:
            return Question(self.id, "text", "Who or what would suit them better?",
                            "A colleague, or 'a full-service agency'. Empty skips it "
                            "(disrespectful clients only).", value=str(v.off.get("referral", "")))
        text = answer.text.strip()
        if text:
            return Writes("Referral saved",
                          offboarding={"referral": text, "referral_skipped": UNSET})
        if v.client.disrespectful:
            return Writes("Referral skipped",
                          offboarding={"referral_skipped": True, "referral": UNSET})
        return Refusal("Only a client marked disrespectful may go without a referral.")


class Meeting(StepSpec):
    id, title = "meeting", "Tell them face to face"
    KEYS = {"in-person": "i", "phone": "p", "video": "v"}

    def held(self, v: View) -> str:
        if not v.decided:
            return "decide first"
        if v.unpaid and v.off.get("proceed_unpaid") is not True:
            n = len(v.unpaid)
            return f"held: {n} invoice{'s' if n > 1 else ''} unpaid, {v.owed:,.2f} owed"
        return ""

    def state(self, v: View) -> Step:
        told = v.done_on("told")
        meeting = v.off.get("meeting")
        via = f" ({meeting})" if isinstance(meeting, str) else ""
        if told:
            return self.make(DONE, f"told {told}{via}")
        held = self.held(v)
        return self.make(HELD if held else TODO,
                         "in person, by phone or by video; never just stop answering", held)

    def not_done(self, v: View) -> list[str]:
        """The steps before this one that are not done yet."""
        return [spec.title for spec in STEPS[1:STEPS.index(self)]
                if spec.state(v).state == TODO]

    def act(self, v: View, answer: Answer | None) -> Act:
        if held := self.held(v):
            return Refusal(f"Held back: {held.removeprefix('held: ')}. (Step 4: mark them "
                           "paid, or proceed without payment.)")
        missing = self.not_done(v)
        if missing and not v.off.get("told_early"):
            if answer is None or answer.choice:
                return Question(self.id, "text", "Not done yet: " + "; ".join(missing) + ".",
                                "Tell them anyway? Say why (it is recorded), or Esc and do "
                                "those first.", placeholder="why now")
            if not answer.text.strip():
                return Refusal("Say why, or do those steps first.")
            return Writes("Noted why now", offboarding={"told_early": answer.text.strip()},
                          then=self.id)
        if answer is None:
            return Question(self.id, "choice", "How did you tell them? (Never by email.)",
                            options=tuple(Option(self.KEYS[m], m, m) for m in MEETINGS),
                            value=str(v.off.get("meeting", "video")),
                            text_label="When", text_value="now")
        if answer.choice not in MEETINGS:
            return Refusal("in person, by phone or by video: never by email")
        try:
            when = dates.parse_when(answer.text, v.now, v.settings.tz, past=True)
        except (ValueError, OverflowError) as e:
            return Refusal(str(e))
        instant = dates.to_aware(when, v.settings.tz)
        if instant > v.now + AHEAD:
            return Refusal(f"{dates.show_moment(when)} is in the future: tell them first, "
                           "then record it")
        decided = v.off.get("decided")
        if isinstance(decided, date) and rules.before(when, decided, v.settings):
            return Refusal(f"{dates.show_moment(when)} is before the decision of "
                           f"{dates.show_moment(decided)}: decide, then tell them")
        return Writes(f"Told them ({answer.choice})",
                      offboarding={"meeting": answer.choice, "told": when})


class End(StepSpec):
    id, title = "end", "Close the relationship"

    def state(self, v: View) -> Step:
        ended = v.done_on("ended")
        if ended or v.client.status == "ended":
            return self.make(DONE, f"ended {ended}" if ended else "status: ended")
        end = notice_end(v.client, v.settings, v.today)
        return self.make(TODO, f"mark it ended when the notice ends ({end})")

    def act(self, v: View, answer: Answer | None) -> Act:
        c = v.client
        if c.status == "ended":
            return Refusal(f"{c.id}: the relationship has already ended", kind=NOTHING)
        if "told" not in v.off:
            return Refusal("Tell them first (step 8): never just stop answering.")
        end = notice_end(c, v.settings, v.today)
        if end > v.today:
            if answer is None or answer.choice:
                return Question(self.id, "text",
                                f"The notice runs until {end}. End it now anyway?",
                                "Say why (it is recorded), or Esc and wait.",
                                placeholder="why now")
            if not answer.text.strip():
                return Refusal(f"Say why, or wait until the notice ends on {end}.")
            return Writes(f"{c.id}: ended", offboarding={"ended": v.today,
                                                         "ended_early": answer.text.strip()},
                          client={"status": "ended"})
        if answer is None:
            return Question(self.id, "confirm", f"Mark {c.name} as ended?", value=YES)
        return Writes(f"{c.id}: ended", offboarding={"ended": v.today},
                      client={"status": "ended"})


STEPS: tuple[StepSpec, ...] = (Decide(), Contract(), Obligations(), Invoices(), Reason(),
                               Notice(), Referral(), Meeting(), End())
"""The checklist, in order: one class a step."""

BY_ID = {s.id: s for s in STEPS}


def build(c: Client, s: Settings, now: datetime) -> Checklist:
    """Every step of the checklist for one client, at `now`."""
    v = View(c, s, now)
    return Checklist(tuple(spec.state(v) for spec in STEPS), notice_end(c, s, v.today))


def act(c: Client, s: Settings, now: datetime, step: str, answer: Answer | None) -> Act:
    """Do step `step` of client `c`'s checklist: what it writes, a refusal, or a question."""
    spec = BY_ID.get(step)
    if spec is None:
        return Refusal(f"no step {step!r}")
    v = View(c, s, now)
    if not spec.before_decision and not v.decided:
        return Refusal("Decide first (d): the checklist starts with the decision.")
    return spec.act(v, answer)
