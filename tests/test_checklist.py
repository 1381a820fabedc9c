"""The offboarding checklist's gates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil import tz

from clientfit_tui.domain import checklist, dates
from clientfit_tui.domain.checklist import DONE, HELD, SKIPPED, TODO, WARN
from clientfit_tui.domain.model import Client, Incident, Invoice, Settings

Z = tz.gettz("Europe/Madrid")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=Z)
S = Settings(timezone="Europe/Madrid", tz=Z)


def make(off: dict | None = None, invoices: tuple[Invoice, ...] = (), **kw: object) -> Client:
    return Client(id="acme", name="ACME", offboarding=off, invoices=invoices, **kw)  # type: ignore[arg-type]


UNPAID = Invoice("2026-029", 980.5, date(2026, 10, 15), None, 0)
PAID = Invoice("2026-007", 1850.0, date(2026, 3, 15), date(2026, 5, 2), 1)


def state(c: Client, step: str) -> checklist.Step:
    return checklist.build(c, S, NOW).step(step)


def test_decide_is_held_during_cooling_off() -> None:
    c = make(incidents=(Incident(datetime(2026, 11, 26, 23, 14), "after-hours", 2, 0, "", 0),))
    step = state(c, "decide")
    assert step.state == HELD
    assert "2026-11-29 23:14" in step.detail and "2d 13h" in step.why_held


def test_meeting_is_held_while_invoices_are_unpaid() -> None:
    """Telling the client waits for payment, unless the user explicitly proceeds."""
    decided = {"decided": datetime(2026, 11, 20, 9, 0)}
    held = state(make(decided, (UNPAID, PAID)), "meeting")
    assert held.state == HELD and "980.50" in held.why_held
    assert state(make(decided, (PAID,)), "meeting").state == TODO
    proceed = state(make({**decided, "proceed_unpaid": True}, (UNPAID,)), "meeting")
    assert proceed.state == TODO
    assert state(make({**decided, "proceed_unpaid": True}, (UNPAID,)), "invoices").state == WARN


def test_meeting_needs_a_decision_first() -> None:
    assert state(make(None), "meeting").state == HELD


@pytest.mark.parametrize(("reason", "expected"), [
    ("I no longer think my services meet your needs.", DONE),
    ("You are rude. You pay late. Bye.", WARN),
    (None, TODO),
])
def test_reason_is_one_sentence(reason: str | None, expected: str) -> None:
    off = {"decided": datetime(2026, 11, 20)} | ({"reason": reason} if reason else {})
    assert state(make(off), "reason").state == expected


@pytest.mark.parametrize(("off", "end"), [
    ({"told": date(2026, 1, 31), "notice": "1 month"}, date(2026, 2, 28)),   # relativedelta
    ({"told": datetime(2026, 11, 27, 16, 0), "notice": "2 weeks"}, date(2026, 12, 11)),
    ({"deliverable": date(2026, 12, 20), "notice": "30 days"}, date(2026, 12, 20)),
    ({}, date(2026, 12, 27)),   # not told yet: the default period from today
])
def test_notice_end(off: dict, end: date) -> None:
    """The notice end follows from the period (relativedelta) or a deliverable's date."""
    assert checklist.notice_end(make(off), S, date(2026, 11, 27)) == end


def test_referral_skippable_only_when_disrespectful() -> None:
    off = {"decided": datetime(2026, 11, 20), "referral_skipped": True}
    assert state(make(off, disrespectful_flag=True), "referral").state == SKIPPED
    disrespect = Incident(date(2026, 1, 1), "disrespect", 3, 0, "", 0)
    assert state(make(off, incidents=(disrespect,)), "referral").state == SKIPPED
    assert state(make(off), "referral").state == WARN


def test_progress_counts_done_and_skipped() -> None:
    off = {"decided": datetime(2026, 11, 20), "contract_reviewed": date(2026, 11, 21),
           "referral_skipped": True, "told": date(2026, 11, 25), "ended": date(2026, 12, 1),
           "notice": "30 days"}
    c = make(off, disrespectful_flag=True, status="ended")
    done, total = checklist.build(c, S, NOW).progress
    assert (done, total) == (7, 9)


def test_period_parsing() -> None:
    assert dates.parse_period("30 days").days == 30
    assert dates.parse_period("2 weeks").days == 14
    assert dates.parse_period("1 month").months == 1
    with pytest.raises(ValueError):
        dates.parse_period("soon")
