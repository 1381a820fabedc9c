"""The dossier and the words for the meeting: pure functions of a client, settings and now."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil import tz
from hypothesis import given, strategies as st

from clientfit_tui.domain import report, script
from clientfit_tui.domain.model import Client, Incident, Invoice, Review, Settings

Z = tz.gettz("Europe/Madrid")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=Z)
S = Settings(timezone="Europe/Madrid", tz=Z)


def inc(at: datetime | date, sev: int = 1, kind: str = "other", note: str = "", i: int = 0,
        minutes: float = 0) -> Incident:
    from clientfit_tui.domain import dates

    return Incident(at, kind, sev, minutes, note, i, dates.to_aware(at, Z))


def make(off: dict | None = None, **kw: object) -> Client:
    return Client(id="acme", name="ACME Corp", offboarding=off, **kw)  # type: ignore[arg-type]


# -- the dossier ----------------------------------------------------------------------

def test_incidents_are_in_time_order_whatever_the_file_order() -> None:
    c = make(incidents=(inc(datetime(2026, 5, 1, 9), note="second", i=0),
                        inc(date(2026, 1, 2), note="first", i=1),
                        inc(datetime(2026, 9, 1, 23), note="third", i=2)))
    assert [i.note for i in report.build(c, S, NOW).incidents] == ["first", "second", "third"]


def test_counts_by_kind_minutes_and_trouble() -> None:
    c = make(incidents=(inc(datetime(2026, 5, 1, 9), 2, "after-hours", minutes=20),
                        inc(datetime(2026, 5, 2, 9), 3, "after-hours", i=1, minutes=10),
                        inc(datetime(2026, 5, 3, 9), 1, "scope-creep", i=2)))
    r = report.build(c, S, NOW)
    assert r.by_kind == {"after-hours": 2, "scope-creep": 1}
    assert (r.trouble, r.minutes) == (6, 30)


def test_trouble_per_month_covers_twelve_calendar_months_on_the_wall_clock() -> None:
    """A month is the settings' wall-clock month: 00:30 on Dec 1 in Madrid is still
    November 30 in UTC, and counts in December; the month before the window is left out."""
    c = make(incidents=(
        inc(datetime(2025, 11, 30, 23, 0), 3, i=0),      # before the 12 months
        inc(datetime(2025, 12, 1, 0, 30), 2, i=1),       # the first month
        inc(date(2026, 3, 31), 1, i=2),
        inc(datetime(2026, 11, 27, 9, 0), 3, i=3),       # this month
    ))
    months = report.build(c, S, NOW).months
    assert months[0].label == "2025-12" and months[-1].label == "2026-11"
    assert len(months) == 12
    by = {m.label: (m.incidents, m.trouble) for m in months}
    assert by["2025-12"] == (1, 2) and by["2026-03"] == (1, 1) and by["2026-11"] == (1, 3)
    assert sum(m.incidents for m in months) == 3


def test_month_starts_across_a_year() -> None:
    starts = report.month_starts(datetime(2026, 2, 10, tzinfo=Z), S, 3)
    assert starts == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


@pytest.mark.parametrize(("due", "paid", "late", "state"), [
    (date(2026, 10, 15), None, 43, "overdue"),
    (date(2026, 12, 15), None, 0, "open"),
    (date(2026, 3, 15), date(2026, 5, 2), 48, "paid late"),
    (date(2026, 3, 15), date(2026, 3, 1), 0, "paid"),
])
def test_days_late(due: date, paid: date | None, late: int, state: str) -> None:
    line = report.invoice_line(Invoice("1", 10.0, due, paid, 0), date(2026, 11, 27))
    assert (line.days_late, line.state) == (late, state)


def test_instinct_and_reviews_in_order() -> None:
    reviews = (Review(date(2026, 11, 20), "keep", "", 0), Review(None, "keep", "", 1),
               Review(date(2026, 9, 18), "keep", "", 2), Review(date(2026, 10, 23), "keep", "", 3))
    r = report.build(make(reviews=reviews), S, NOW)
    assert [v.index for v in r.reviews] == [2, 3, 0, 1]
    assert r.instinct and r.reviews_lately == 3


def test_loose_ends_name_unpaid_invoices_and_open_steps() -> None:
    c = make({"decided": datetime(2026, 11, 18, 9, 30)},
             invoices=(Invoice("2026-029", 980.5, date(2026, 10, 15), None, 0),))
    ends = report.build(c, S, NOW).loose_ends
    assert ends[0] == "invoice 2026-029: 980.50 unpaid, 43 days late"
    assert any(e.startswith("step 2, review the contract") for e in ends)
    assert any(e.startswith("step 8, tell them") and "unpaid" in e for e in ends)


def test_no_checklist_loose_ends_before_a_decision() -> None:
    assert report.build(make(), S, NOW).loose_ends == ()


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=24))
def test_spark_has_one_bar_per_value_and_the_top_is_full(values: list[int]) -> None:
    line = report.spark(values)
    assert len(line) == len(values)
    if values and max(values) > 0:
        assert line[values.index(max(values))] == "█"
        assert all((v > 0) == (ch != "▁") for v, ch in zip(values, line, strict=True))


# -- the words ------------------------------------------------------------------------

READY = {"decided": datetime(2026, 11, 18, 9, 30), "contract_reviewed": date(2026, 11, 19),
         "obligations_met": date(2026, 11, 20), "reason": "I no longer think my services "
         "meet your needs.", "meeting": "video", "notice": "30 days",
         "referral": "Ana Ruiz at Norte Studio"}


def test_a_ready_checklist_fills_every_placeholder_without_a_gap() -> None:
    v = script.values(make(READY, contact="Wile E. Coyote"), S, NOW)
    assert set(v) == set(script.PLACEHOLDERS)
    assert v["missing"] == "Nothing: every step before the call is done."
    assert v["meeting"] == "by video" and v["contact"] == "Wile E. Coyote"
    assert v["end_date"] == "2026-12-27"
    assert v["notice"] == "30 days, counted from the day you tell them"
    assert v["alternatives"] == "Ana Ruiz at Norte Studio"
    assert not any("[missing" in x for x in v.values())


def test_steps_not_done_say_what_is_missing_instead_of_inventing() -> None:
    v = script.values(make({"decided": datetime(2026, 11, 18, 9, 30)}), S, NOW)
    assert v["reason"].startswith("[missing: one short reason")
    assert v["meeting"].startswith("[missing:") and "(step 8)" in v["meeting"]
    assert v["end_date"] == "[missing: the end date (step 6)]"
    assert "[missing: review the contract" in v["deliver"]
    assert "Step 5, one short reason" in v["missing"]
    assert v["contact"] == "ACME Corp"


def test_unpaid_invoices_hold_the_call_and_the_final_invoice_follows() -> None:
    unpaid = (Invoice("2026-029", 980.5, date(2026, 10, 15), None, 0),)
    v = script.values(make(READY, invoices=unpaid), S, NOW)
    assert "Invoice 2026-029: 980.50, due 2026-10-15 (43 days late)." in v["invoices"]
    assert "[held: get paid before the call" in v["invoices"]
    assert v["invoices"].endswith("for the work up to 2026-12-27, follows on that date.")
    proceed = script.values(make({**READY, "proceed_unpaid": True}, invoices=unpaid), S, NOW)
    assert "[held" not in proceed["invoices"]
    assert "Invoice 2026-029 (980.50, due 2026-10-15) is still to be paid." in \
        proceed["loose_ends"]


def test_no_alternatives_for_a_disrespectful_client() -> None:
    off = {k: v for k, v in READY.items() if k != "referral"}
    v = script.values(make(off, disrespectful_flag=True), S, NOW)
    assert v["alternatives"].startswith("None: the client was disrespectful")
    assert v["referral"] == ""
    assert "[missing" in script.values(make(off), S, NOW)["alternatives"]


def test_a_deliverable_sets_the_end_date() -> None:
    v = script.values(make({**READY, "deliverable": date(2027, 1, 15)}), S, NOW)
    assert v["end_date"] == "2027-01-15"
    assert "The deliverable due 2027-01-15" in v["deliver"]


def test_render_repeats_a_bullet_and_drops_an_empty_paragraph() -> None:
    text = "Hi $client,\n- $lines\n   ${lines}\n\n$empty\n\nBye $$5\n"
    out = script.render(text, {"client": "ACME", "lines": "a\nb", "empty": ""}, "t.txt")
    assert out == "Hi ACME,\n- a\n- b\n   a\n   b\n\nBye $5\n"


@pytest.mark.parametrize(("text", "message"), [
    ("Hello $client\n\nThe $nope is here\n", "t.txt:3: unknown placeholder $nope"),
    ("Hello ${client}\n${nada}\n", "t.txt:2: unknown placeholder $nada"),
    ("\n\nIt costs $5\n", "t.txt:3: a $ that names no placeholder (write $$ for a dollar sign)"),
])
def test_template_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(script.TemplateError) as e:
        script.render(text, {"client": "x"}, "t.txt")
    assert str(e.value).startswith(message)
    assert "\n" not in str(e.value)


def test_the_shipped_templates_use_only_known_placeholders() -> None:
    from clientfit_tui import templates

    for name in templates.NAMES:
        script.check(templates.default(name), name)


@given(st.lists(st.tuples(st.datetimes(min_value=datetime(2024, 1, 1),
                                       max_value=datetime(2027, 12, 31)),
                          st.integers(min_value=1, max_value=3)), max_size=40))
def test_months_hold_exactly_the_incidents_since_the_first_month(
        items: list[tuple[datetime, int]]) -> None:
    """Every incident from the first month's midnight on counts once, in the month of its
    wall-clock date (or the current month, if later); none before it counts."""
    from clientfit_tui.domain import dates

    c = make(incidents=tuple(inc(at, sev, i=n) for n, (at, sev) in enumerate(items)))
    months = report.monthly(c, S, NOW)
    first = dates.to_aware(datetime.combine(months[0].start, datetime.min.time()), Z)
    inside = [(dates.to_aware(at, Z), sev) for at, sev in items if dates.to_aware(at, Z) >= first]
    assert sum(m.incidents for m in months) == len(inside)
    assert sum(m.trouble for m in months) == sum(sev for _, sev in inside)
    for instant, _ in inside:
        local = instant.astimezone(Z).date().replace(day=1)
        label = min(local, months[-1].start).strftime("%Y-%m")
        assert next(m for m in months if m.label == label).incidents > 0
