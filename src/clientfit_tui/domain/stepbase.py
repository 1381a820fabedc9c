"""The checklist's parts: a step's state (`Step`), the whole (`Checklist`), what a step
writes (`Writes`), what it sees (`View`) and the base of every step (`StepSpec`).
`checklist` holds the steps themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from .. import l10n
from ..i18n import N_, _
from . import dates, rules
from .model import Client, Invoice, Settings
from .outcome import COOLING, Answer, Question, Refusal

DONE, TODO, HELD, SKIPPED, WARN = "done", "todo", "held", "skipped", "warn"
REASON_EXAMPLE = N_("I no longer think my services meet your needs.")
"""Shown translated: `_(REASON_EXAMPLE)`."""
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
        """The day (or time) a step was done, for reading ("" when it was not)."""
        v = self.off.get(key)
        return l10n.moment(v) if isinstance(v, date) else ""

    def cooling_refusal(self) -> Refusal | None:
        cool = self.cooling
        if cool.active and cool.unlocks:
            return Refusal(_("{client}: refused: cooling off until {until} ({left} left). "
                             "Never decide in the heat of the moment.").format(
                client=self.client.id, until=l10n.instant(cool.unlocks, self.settings.tz),
                left=dates.countdown(cool.left)), kind=COOLING)
        return None


notice_end = rules.notice_end
AHEAD = timedelta(minutes=5)
"""How far ahead of now a moment that happened may be (clocks differ a little)."""


class StepSpec:
    """One step of the checklist."""

    id = ""
    title = ""
    """Marked with `N_`: `make` translates it."""
    before_decision = False
    """May be done before the decision is recorded."""

    def state(self, v: View) -> Step:
        raise NotImplementedError

    def act(self, v: View, answer: Answer | None) -> Act:
        raise NotImplementedError

    def make(self, state: str, detail: str, why_held: str = "") -> Step:
        return Step(self.id, _(self.title), state, detail, why_held)
