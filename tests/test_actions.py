"""The actions layer: what each thing a person can do writes, or why it is refused.

Every rule here is the app's and the command line's alike: both call these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clientfit_tui.actions import (
    COOLING,
    NOTHING,
    Answer,
    Change,
    Question,
    Refusal,
    incidents as inc,
    offboarding as off,
)
from clientfit_tui.store import edit
from clientfit_tui.store.store import Snapshot, Store

# the sample's acme had its latest incident on 2026-11-26 23:14 (Madrid): cooling off
# until 2026-11-29 23:14
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)           # 10:00 in Madrid, a Friday
LATER = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def snap(sample_file: Path) -> Snapshot:
    return Store(sample_file).load()


def written(snap: Snapshot, change: Change) -> dict:
    """The data the change's edit means, applied to the file's data."""
    return change.edit.apply(snap.raw)


# -- incidents ----------------------------------------------------------------------

def test_log_defaults_the_kind_from_work_hours(snap: Snapshot) -> None:
    """A moment outside work hours is after-hours; in them, other."""
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", "2026-11-21 11:00", note=" x "))
    assert isinstance(out, Change) and out.facts["kind"] == "after-hours"  # a Saturday
    item = written(snap, out)["clients"]["gecko"]["incidents"][-1]
    assert item == {"at": datetime(2026, 11, 21, 11, 0), "kind": "after-hours",
                    "severity": 1, "note": "x"}
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", "2026-11-25 11:00"))
    assert isinstance(out, Change) and out.facts["kind"] == "other"


@pytest.mark.parametrize(("when", "minutes", "severity", "says"), [
    ("2026-11-28 10:00", None, 1, "in the future"),
    ("2027-03-01", None, 1, "in the future"),
    ("someday", None, 1, "cannot read 'someday'"),
    ("now", "ten", 1, "not a number"),
    ("now", "-5", 1, "0 or more"),
    ("now", None, 4, "severity is 1, 2 or 3"),
])
def test_log_refuses_what_did_not_happen(snap: Snapshot, when: str, minutes: str | None,
                                         severity: int, says: str) -> None:
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", when, severity=severity,
                                               minutes=minutes))
    assert isinstance(out, Refusal) and says in out.reason


def test_a_few_minutes_ahead_is_still_now(snap: Snapshot) -> None:
    """Clocks differ a little: a minute ahead is accepted, ten are not."""
    assert isinstance(inc.log(snap, NOW, inc.IncidentInput("gecko", "-1m")), Change)
    assert isinstance(inc.log(snap, NOW, inc.IncidentInput("gecko", "+1m")), Change)
    assert isinstance(inc.log(snap, NOW, inc.IncidentInput("gecko", "+10m")), Refusal)


def test_edit_changes_only_what_changed_and_moves_between_clients(snap: Snapshot) -> None:
    current = inc.as_input(snap, "acme", 0)
    assert current is not None
    same = inc.edit_incident(snap, NOW, "acme", 0, current)
    assert isinstance(same, Refusal) and same.kind == NOTHING
    changed = inc.edit_incident(snap, NOW, "acme", 0, current._replace(note="new") if hasattr(
        current, "_replace") else inc.IncidentInput(current.client, current.when, current.kind,
                                                    current.severity, current.minutes, "new"))
    assert isinstance(changed, Change) and isinstance(changed.edit, edit.SetKeys)
    assert changed.edit.changes == {"note": "new"}
    moved = inc.edit_incident(snap, NOW, "acme", 0, inc.IncidentInput(
        "gecko", current.when, current.kind, current.severity, current.minutes, current.note))
    assert isinstance(moved, Change)
    data = written(snap, moved)["clients"]
    assert len(data["acme"]["incidents"]) == len(snap.raw["clients"]["acme"]["incidents"]) - 1
    assert data["gecko"]["incidents"][-1]["note"] == current.note


def test_delete_expects_the_incident_it_was_shown(snap: Snapshot) -> None:
    out = inc.delete(snap, "acme", 0)
    assert isinstance(out, Change) and isinstance(out.edit, edit.Remove)
    assert out.edit.expect == snap.raw["clients"]["acme"]["incidents"][0]
    assert isinstance(inc.delete(snap, "acme", 999), Refusal)


# -- the decision and reviews --------------------------------------------------------

def test_decide_waits_out_the_cooling_off(snap: Snapshot) -> None:
    out = off.decide_now(snap, NOW, "acme")
    assert isinstance(out, Refusal) and out.kind == COOLING
    assert "cooling off until 2026-11-29 23:14" in out.reason
    out = off.decide_now(snap, LATER, "acme")
    assert isinstance(out, Change)
    acme = written(snap, out)["clients"]["acme"]
    assert acme["status"] == "offboarding"
    assert acme["offboarding"]["decided"] == datetime(2026, 11, 30, 10, 0)


def test_decide_twice_is_nothing_to_do(snap: Snapshot) -> None:
    out = off.decide_now(snap, LATER, "slowpay")
    assert isinstance(out, Refusal) and out.kind == NOTHING and "already decided" in out.reason


def test_the_app_asks_before_deciding_but_not_inside_the_window(snap: Snapshot) -> None:
    assert isinstance(off.act(snap, NOW, "acme", "decide"), Refusal)
    q = off.act(snap, LATER, "acme", "decide")
    assert isinstance(q, Question) and q.kind == "confirm"
    assert isinstance(off.act(snap, LATER, "acme", "decide", Answer(q.value)), Change)


def test_a_review_to_end_waits_out_the_cooling_off_a_keep_does_not(snap: Snapshot) -> None:
    q = off.act(snap, NOW, "acme", "review")
    assert isinstance(q, Question) and q.action == "review"
    end = off.act(snap, NOW, "acme", "review", Answer("end", "enough"))
    assert isinstance(end, Refusal) and end.kind == COOLING
    keep = off.act(snap, NOW, "acme", "review", Answer("keep", "  one more chance "))
    assert isinstance(keep, Change)
    review = written(snap, keep)["clients"]["acme"]["reviews"][-1]
    assert review["outcome"] == "keep" and review["note"] == "one more chance"


# -- the checklist ------------------------------------------------------------------

def test_steps_wait_for_the_decision(snap: Snapshot) -> None:
    for step in ("contract", "obligations", "reason", "notice", "referral", "end"):
        out = off.act(snap, LATER, "acme", step)
        assert isinstance(out, Refusal) and "Decide first" in out.reason, step


def test_ticking_a_step_and_unticking_it(snap: Snapshot, tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text('[clients.x]\nname = "X"\n[clients.x.offboarding]\n'
                 'decided = 2026-11-01T10:00:00\n')
    small = Store(f).load()
    out = off.act(small, LATER, "x", "obligations")
    assert isinstance(out, Change) and out.said == (
        "Ticked: Meet your obligations; deliver what was paid for")
    assert written(small, out)["clients"]["x"]["offboarding"]["obligations_met"] == \
        date(2026, 11, 30)
    q = off.act(snap, LATER, "slowpay", "contract")
    assert isinstance(q, Question) and q.kind == "confirm" and "Untick" in q.title
    out = off.act(snap, LATER, "slowpay", "contract", Answer(q.value))
    assert isinstance(out, Change) and out.said == (
        "Unticked: Review the contract, every line and loose end")
    assert "contract_reviewed" not in written(snap, out)["clients"]["slowpay"]["offboarding"]


def test_unpaid_invoices_hold_the_meeting_until_paid_or_proceeding(snap: Snapshot) -> None:
    held = off.act(snap, LATER, "slowpay", "meeting")
    assert isinstance(held, Refusal) and "unpaid" in held.reason
    q = off.act(snap, LATER, "slowpay", "invoices")
    assert isinstance(q, Question) and q.options[-1].value == "proceed"
    again = off.act(snap, LATER, "slowpay", q.action, Answer("proceed"))
    assert isinstance(again, Question) and again.kind == "confirm"
    out = off.act(snap, LATER, "slowpay", again.action, Answer(again.value))
    assert isinstance(out, Change)
    assert written(snap, out)["clients"]["slowpay"]["offboarding"]["proceed_unpaid"] is True
    paid = off.act(snap, LATER, "slowpay", "invoices", Answer(q.options[0].value))
    assert isinstance(paid, Change)
    index = int(q.options[0].value)
    assert written(snap, paid)["clients"]["slowpay"]["invoices"][index]["paid"] == \
        date(2026, 11, 30)


def test_notice_takes_a_period_or_a_date_and_refuses_anything_else(snap: Snapshot) -> None:
    period = off.act(snap, LATER, "slowpay", "notice", Answer(text="2 weeks"))
    assert isinstance(period, Change)
    table = written(snap, period)["clients"]["slowpay"]["offboarding"]
    assert table["notice"] == "2 weeks" and "deliverable" not in table
    day = off.act(snap, LATER, "slowpay", "notice", Answer(text="2026-12-20"))
    assert isinstance(day, Change)
    assert written(snap, day)["clients"]["slowpay"]["offboarding"]["deliverable"] == \
        date(2026, 12, 20)
    bad = off.act(snap, LATER, "slowpay", "notice", Answer(text="soonish"))
    assert isinstance(bad, Refusal) and "'soonish' is not a period" in bad.reason


def test_only_a_disrespectful_client_goes_without_a_referral(snap: Snapshot) -> None:
    out = off.act(snap, LATER, "slowpay", "referral", Answer(text=""))
    assert isinstance(out, Refusal) and "disrespectful" in out.reason
    out = off.act(snap, LATER, "harbor", "referral", Answer(text=""))
    assert isinstance(out, Change) and out.said == "Referral skipped"


def test_more_than_one_sentence_is_saved_with_a_warning(snap: Snapshot) -> None:
    out = off.act(snap, LATER, "slowpay", "reason",
                  Answer(text="It does not fit. Also the invoices. And the calls."))
    assert isinstance(out, Change) and "more than one sentence" in out.warning


def test_the_meeting_is_never_by_email(snap: Snapshot) -> None:
    out = off.act(snap, LATER, "harbor", "meeting", Answer("email", "now"))
    assert isinstance(out, Refusal)
    q = off.act(snap, LATER, "harbor", "meeting")
    assert isinstance(q, Question)
    assert {o.value for o in q.options} == {"in-person", "phone", "video"}


def test_every_step_of_the_checklist_has_its_action(snap: Snapshot) -> None:
    """One place per step: the checklist shows exactly the steps that can be done."""
    from clientfit_tui.domain import checklist

    client = snap.data.clients["slowpay"]
    ids = [s.id for s in checklist.build(client, snap.data.settings, LATER).steps]
    assert ids == [spec.id for spec in checklist.STEPS]
    for sid in ids:
        assert not (isinstance(o := off.act(snap, LATER, "slowpay", sid), Refusal)
                    and o.reason.startswith("no step")), sid


# -- the order of the steps ----------------------------------------------------------

def small(tmp_path: Path, off_table: str, extra: str = "") -> Snapshot:
    f = tmp_path / "c.toml"
    f.write_text('[clients.x]\nname = "X"\nstatus = "offboarding"\nregular = true\n'
                 + extra + '[clients.x.offboarding]\n' + off_table)
    return Store(f).load()


ALL_BEFORE = ('decided = 2026-11-01T10:00:00\ncontract_reviewed = 2026-11-02\n'
              'obligations_met = 2026-11-03\nreason = "It does not fit."\nnotice = "30 days"\n'
              'referral = "a colleague"\n')


def test_telling_them_before_the_steps_before_it_asks_why_and_records_it(
        tmp_path: Path) -> None:
    snap = small(tmp_path, 'decided = 2026-11-01T10:00:00\n')
    q = off.act(snap, LATER, "x", "meeting")
    assert isinstance(q, Question) and q.kind == "text"
    assert "Review the contract" in q.title and "One short reason" in q.title
    assert isinstance(off.act(snap, LATER, "x", "meeting", Answer(text="  ")), Refusal)
    why = off.act(snap, LATER, "x", "meeting", Answer(text="they asked me point blank"))
    assert isinstance(why, Change) and why.then == "meeting"
    table = written(snap, why)["clients"]["x"]["offboarding"]
    assert table["told_early"] == "they asked me point blank" and "told" not in table


def test_telling_them_in_order_asks_how_and_refuses_the_future(tmp_path: Path) -> None:
    snap = small(tmp_path, ALL_BEFORE)
    q = off.act(snap, LATER, "x", "meeting")
    assert isinstance(q, Question) and q.kind == "choice"
    future = off.act(snap, LATER, "x", "meeting", Answer("video", "2026-12-24 10:00"))
    assert isinstance(future, Refusal) and "in the future" in future.reason
    out = off.act(snap, LATER, "x", "meeting", Answer("phone", "-1h"))
    assert isinstance(out, Change)
    assert written(snap, out)["clients"]["x"]["offboarding"]["meeting"] == "phone"


def test_ending_waits_for_telling_them_and_for_the_notice(tmp_path: Path) -> None:
    not_told = small(tmp_path, ALL_BEFORE)
    out = off.act(not_told, LATER, "x", "end")
    assert isinstance(out, Refusal) and "Tell them first" in out.reason
    running = small(tmp_path, ALL_BEFORE + 'told = 2026-11-20T10:00:00\nmeeting = "video"\n')
    q = off.act(running, LATER, "x", "end")
    assert isinstance(q, Question) and "The notice runs until 2026-12-20" in q.title
    assert isinstance(off.act(running, LATER, "x", "end", Answer(text="")), Refusal)
    early = off.act(running, LATER, "x", "end", Answer(text="they asked to stop now"))
    assert isinstance(early, Change)
    x = written(running, early)["clients"]["x"]
    assert x["status"] == "ended" and x["offboarding"]["ended_early"] == "they asked to stop now"
    over = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)
    q = off.act(running, over, "x", "end")
    assert isinstance(q, Question) and q.kind == "confirm"
    assert isinstance(off.act(running, over, "x", "end", Answer(q.value)), Change)


@pytest.mark.parametrize(("table", "line", "says"), [
    ('told = 2026-11-20T10:00:00\n', 6, "no decision is recorded"),
    ('decided = 2026-11-21T10:00:00\ntold = 2026-11-20T10:00:00\n', 7, "before the decision"),
    ('decided = 2026-11-01T10:00:00\nended = 2026-11-20\n', 7, "ended without telling them"),
    ('decided = 2026-11-01T10:00:00\ntold = 2026-11-10\nended = 2026-11-20\n', 8,
     "before the notice ran out on 2026-12-10"),
])
def test_check_warns_of_steps_out_of_order_with_their_line(tmp_path: Path, table: str,
                                                           line: int, says: str) -> None:
    import subprocess
    import sys

    snap = small(tmp_path, table)
    assert any(says in w for w in snap.warnings), snap.warnings
    r = subprocess.run([sys.executable, "-m", "clientfit_tui", "--file",
                        str(tmp_path / "c.toml"), "check"], capture_output=True, text=True)
    assert r.returncode == 0
    assert f"c.toml:{line}:1: warning: " in r.stdout and says in r.stdout, r.stdout


def test_an_undecided_client_has_done_nothing_yet(snap: Snapshot) -> None:
    """The checklist starts with the decision: before it, nothing counts as done."""
    from clientfit_tui.domain import checklist

    acme = snap.data.clients["gecko"]
    assert checklist.build(acme, snap.data.settings, LATER).progress == (0, 9)


def test_an_ended_client_has_no_cooling_off(snap: Snapshot) -> None:
    from clientfit_tui.domain import rules

    harbor = snap.data.clients["harbor"]._replace(status="ended")
    recent = harbor.incidents[0]._replace(at=datetime(2026, 11, 29, 10, 0),
                                          instant=datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    harbor = harbor._replace(incidents=(recent,))
    assert not rules.cooling(harbor, snap.data.settings, LATER).active


def test_telling_them_before_the_decision_is_refused_and_warned(tmp_path: Path) -> None:
    snap = small(tmp_path, ALL_BEFORE.replace("2026-11-01T10:00:00", "2026-11-30T09:30:00"))
    out = off.act(snap, LATER, "x", "meeting", Answer("phone", "2026-11-30 09:00"))
    assert isinstance(out, Refusal) and "before the decision" in out.reason
    same_day = off.act(snap, LATER, "x", "meeting", Answer("phone", "today"))
    assert isinstance(same_day, Change)                   # a date alone: that day is fine
    told = small(tmp_path, 'decided = 2026-11-30T09:30:00\ntold = 2026-11-30T09:00:00\n')
    assert any("before the decision" in w for w in told.warnings)


def test_a_deliverable_that_has_passed_is_refused(tmp_path: Path) -> None:
    snap = small(tmp_path, ALL_BEFORE)
    out = off.act(snap, LATER, "x", "notice", Answer(text="2026-11-01"))
    assert isinstance(out, Refusal) and "has passed" in out.reason


def test_held_back_says_how_many_invoices_once(snap: Snapshot) -> None:
    held = off.act(snap, LATER, "slowpay", "meeting")
    assert isinstance(held, Refusal)
    assert held.reason.startswith("Held back: 2 invoices unpaid")


def test_an_empty_reason_is_refused_not_saved(tmp_path: Path) -> None:
    """The example is a placeholder, not a value: Enter on an empty field says so."""
    f = tmp_path / "c.toml"
    f.write_text('[clients.x]\nname = "X"\n[clients.x.offboarding]\n'
                 'decided = 2026-11-01T10:00:00\n')
    small = Store(f).load()
    q = off.act(small, LATER, "x", "reason")
    assert isinstance(q, Question) and q.placeholder.startswith("e.g. ")
    out = off.act(small, LATER, "x", "reason", Answer(text="  "))
    assert isinstance(out, Refusal) and "Give one reason" in out.reason
