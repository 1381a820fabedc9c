"""The cost of trouble, the effective hourly rate and the what-if, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from clientfit_tui.domain import money
from clientfit_tui.domain.model import Data, load_data

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def data(clients: dict[str, dict[str, Any]], **setting: Any) -> Data:
    raw: dict[str, Any] = {"settings": {"timezone": "UTC", **setting}, "clients": clients}
    d, problems = load_data(raw)
    assert d is not None, problems
    return d


def inc(at: date | datetime, minutes: float | None = None, severity: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {"at": at, "kind": "other", "severity": severity}
    if minutes is not None:
        out["minutes"] = minutes
    return out


HAND = data({
    # 90 + 30 minutes this year (2 h); 600 minutes two years ago do not count
    "a": {"name": "A", "revenue": 12000.0, "hours": 200,
          "incidents": [inc(datetime(2026, 11, 1, 10), 90, 3), inc(date(2026, 6, 1), 30, 2),
                        inc(datetime(2024, 11, 1, 10), 600, 1)]},
    "b": {"name": "B", "revenue": 1000.0, "incidents": [inc(date(2026, 10, 1), 45)]},
    "c": {"name": "C", "hours": 10},                                   # no revenue
    "d": {"name": "D", "incidents": [inc(date(2026, 9, 1)), inc(date(2026, 9, 2))]},  # dates only
    "e": {"name": "E", "revenue": 0, "hours": 10, "incidents": [inc(date(2026, 1, 5), 60)]},
    "f": {"name": "F", "revenue": 500.0, "hours": 0},                  # no time at all
    "g": {"name": "G", "status": "ended", "revenue": 9999.0, "hours": 100,
          "incidents": [inc(date(2026, 3, 1), 120, 3)]},
}, rate=50, currency="EUR")


@pytest.mark.parametrize(("cid", "lost", "cost", "rate", "why"), [
    ("a", "2", "100.00", "59.41", ""),                   # 12000 / (200 + 2)
    ("b", "0.75", "37.50", None, money.NO_HOURS),        # no hours: no rate, never 0
    ("c", "0", "0.00", None, money.NO_REVENUE),
    ("d", "0", "0.00", None, money.NO_HOURS),            # only dates: nothing lost, no rate
    ("e", "1", "50.00", "0.00", ""),                     # revenue 0 is a rate of 0, truly
    ("f", "0", "0.00", None, money.NO_TIME),             # 500 for 0 hours: no rate
    ("g", "2", "100.00", "98.03", ""),                   # ended: 9999 / 102, its own
])
def test_each_client_worked_by_hand(cid: str, lost: str, cost: str, rate: str | None,
                                    why: str) -> None:
    """Hours lost are the year's incident minutes / 60; their cost is at your rate;
    the effective rate is revenue / (hours + hours lost), only where both are known."""
    m = money.client_money(HAND.clients[cid], HAND.settings, NOW)
    assert m.lost_hours == Decimal(lost)
    assert m.lost_cost is not None and money.cents(m.lost_cost) == Decimal(cost)
    assert (money.cents(m.effective_rate) if m.effective_rate is not None else None) == \
        (Decimal(rate) if rate is not None else None)
    assert m.why == why


def test_no_rate_set_means_no_cost() -> None:
    """Without `rate`, the hours lost are known but not what they cost."""
    d = data({"a": {"name": "A", "revenue": 100.0, "hours": 1,
                    "incidents": [inc(date(2026, 11, 1), 60)]}})
    m = money.client_money(d.clients["a"], d.settings, NOW)
    assert m.lost_cost is None and money.below_rate(m, d.settings) is None
    assert money.cents(m.effective_rate or Decimal(-1)) == Decimal("50.00")


def test_below_rate() -> None:
    """A client below your rate, trouble included, is said so; at or above it is not."""
    s = HAND.settings
    assert money.below_rate(money.client_money(HAND.clients["e"], s, NOW), s) is True
    assert money.below_rate(money.client_money(HAND.clients["a"], s, NOW), s) is False
    assert money.below_rate(money.client_money(HAND.clients["b"], s, NOW), s) is None


def test_amounts_are_exact_to_the_cent() -> None:
    """15 minutes at 10.70 is 2.675, rounded half up to 2.68 (binary floats say 2.67)."""
    d = data({"a": {"name": "A", "incidents": [inc(date(2026, 11, 1), 15)]}}, rate=10.7)
    m = money.client_money(d.clients["a"], d.settings, NOW)
    assert m.lost_cost == Decimal("2.675")
    assert money.to_json(m.lost_cost) == 2.68 and round(10.7 * 0.25, 2) == 2.67
    assert money.fmt_amount(m.lost_cost, "EUR") == "2.68 EUR"


def test_whatif_worked_by_hand() -> None:
    """Ending `a`: its revenue and trouble, a year / 12 of its hours, and the rate of the
    rest; the ended `g` counts in neither side, even when asked for."""
    w = money.whatif(HAND, NOW, ["a", "g"])
    assert [m.client.id for m in w.gone] == ["a"] and w.ignored == ("g",)
    assert w.today.revenue == Decimal("13500") and w.today.clients == 6
    assert w.lost.revenue == Decimal("12000")
    assert money.fmt_share(w.revenue_share) == "89%"
    # trouble: a 6 (3+2+1), b 1, d 2, e 1 = 10 (g's 3 is not counted)
    assert (w.lost.trouble, w.today.trouble) == (6, 10)
    assert w.trouble_share == Decimal("0.6")
    assert money.cents(w.work_per_month) == Decimal("16.67")      # 200 / 12
    assert money.cents(w.trouble_per_month) == Decimal("0.17")    # 2 / 12
    # today: a (12000 over 202 h) and e (0 over 11 h): 12000 / 213
    assert money.cents(w.today.rate or Decimal(-1)) == Decimal("56.34") and w.today.rated == 2
    assert w.without.rate == Decimal(0) and w.without.rated == 1  # only e remains rated
    lines = money.whatif_lines(w, HAND.settings)
    assert lines[0] == "g is ended: it counts in neither side."
    assert any("12,000.00 EUR a year, 89% of 13,500.00 EUR" in line for line in lines)
    assert any("16.7 h of work, 0.2 h of trouble" in line for line in lines)
    assert not any("not counted as work" in line for line in lines)
    lines = money.whatif_lines(money.whatif(HAND, NOW, ["a", "b"]), HAND.settings)
    assert any("(no hours recorded for b: not counted as work)" in line for line in lines)


def test_whatif_with_no_revenue_or_hours_says_so() -> None:
    """Nothing to divide by: said in words, never 0% or 0/h."""
    d = data({"a": {"name": "A", "incidents": [inc(date(2026, 11, 1))]}, "b": {"name": "B"}})
    w = money.whatif(d, NOW, ["a"])
    assert w.revenue_share is None and w.today.rate is None and w.without.rate is None
    text = "\n".join(money.whatif_lines(w, d.settings))
    assert money.NO_REVENUE in text and money.NO_HOURS in text and "0%" not in text.split(
        "trouble removed")[0]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("rate", -1, "'rate' must be 0 or more"),
    ("rate", float("inf"), "'rate' must be a finite number"),
    ("rate", "60", "'rate' must be a number"),
    ("currency", "euro", "'currency' must be a 3-letter code"),
    ("currency", 978, "'currency' must be a string"),
])
def test_bad_settings_are_problems(key: str, value: Any, message: str) -> None:
    d, problems = load_data({"settings": {key: value}})
    assert d is None and problems[0].path == ("settings", key)
    assert problems[0].message.startswith(message)


@pytest.mark.parametrize(("value", "message"), [
    (-5, "'hours' must be 0 or more"), (float("nan"), "'hours' must be a finite number"),
    (True, "'hours' must be a number"),
])
def test_bad_hours_are_problems(value: Any, message: str) -> None:
    d, problems = load_data({"clients": {"a": {"name": "A", "hours": value}}})
    assert d is None and problems[0].path == ("clients", "a", "hours")
    assert problems[0].message.startswith(message)


@pytest.mark.parametrize(("x", "currency", "whole", "text"), [
    (Decimal("14200"), None, False, "14,200.00"), (Decimal("14200.5"), "EUR", True, "14,201 EUR"),
    (Decimal("0.005"), None, False, "0.01"), (None, "EUR", False, "-"),
])
def test_fmt_amount(x: Decimal | None, currency: str | None, whole: bool, text: str) -> None:
    assert money.fmt_amount(x, currency, whole) == text


amounts = st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False))
clients = st.dictionaries(
    st.from_regex(r"[a-z]{1,6}", fullmatch=True),
    st.fixed_dictionaries({
        "name": st.just("X"),
        "status": st.sampled_from(["active", "watch", "offboarding", "ended"]),
        "revenue": amounts, "hours": amounts,
        "incidents": st.lists(st.builds(
            inc, st.dates(date(2024, 1, 1), date(2026, 11, 26)),
            st.one_of(st.none(), st.integers(0, 600), st.floats(0, 600, allow_nan=False)),
            st.integers(1, 3)), max_size=4),
    }).map(lambda t: {k: v for k, v in t.items() if v is not None}),
    max_size=6)


@settings(max_examples=60, deadline=None)
@given(clients=clients, rate=amounts)
def test_whatif_of_none_changes_nothing_and_of_all_leaves_nothing(
        clients: dict[str, dict[str, Any]], rate: float | None) -> None:
    """Ending no client changes nothing; ending every client that is not ended leaves
    no revenue, no hours, no trouble and no rate."""
    d = data(clients, **({"rate": rate} if rate is not None else {}))
    none = money.whatif(d, NOW, [])
    assert none.without == none.today and none.lost.revenue == 0 and none.lost.trouble == 0
    assert none.work_per_month == 0 and none.trouble_per_month == 0
    assert none.revenue_share in (None, 0) and none.trouble_share in (None, 0)
    live = [cid for cid, c in d.clients.items() if c.status != "ended"]
    every = money.whatif(d, NOW, list(d.clients))
    assert every.lost == every.today and len(every.gone) == len(live)
    w = every.without
    assert (w.revenue, w.hours, w.lost_hours, w.trouble, w.rate, w.clients) == (0, 0, 0, 0, None, 0)
    assert every.revenue_share in (None, 1) and every.trouble_share in (None, 1)
    for c in d.clients.values():  # each minute of the year as written, summed exactly
        exact = sum((money.dec(i.minutes) for i in c.incidents
                     if i.instant >= NOW - money.YEAR), Decimal(0)) / 60
        assert money.lost_hours(c, d.settings, NOW) == exact


def test_amounts_name_the_currency_only_when_the_settings_do(spanish: None) -> None:
    from clientfit_tui import l10n
    from clientfit_tui.i18n import set_language

    assert l10n.amount(980.5, "EUR") == "980,50\xa0€"
    assert money.fmt_amount(Decimal("2400.5"), None) == "2.400,50"
    assert l10n.long_date(date(2027, 1, 1)) == "1 de enero de 2027"
    set_language("en")
    assert l10n.amount(980.5, "EUR") == "980.50 EUR"
    assert l10n.amount(980.5) == "980.50"
    assert l10n.long_date(date(2027, 1, 1)) == "2027-01-01"
