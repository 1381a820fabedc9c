"""What clientfit says of a file or a value it refuses: at the line where the problem
stands, in the file's own words (TOML keys and values), never in Python's."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from clientfit_tui.domain import dates
from clientfit_tui.domain.values import dotted, quoted, read_minutes, read_number, shown
from clientfit_tui.store.store import InvalidFile, Store

INC = 'at = 2026-11-01\nkind = "other"\n'

# (the file, the problems it has: (line, what the message says, at least in part))
CASES = [
    # a client defined only by its sub-tables: where its first sub-table is
    (f'[clients.acme]\nname = "A"\n\n[[clients.zed.incidents]]\n{INC}',
     [(4, "clients.zed: missing required key 'name'")]),
    ('[clients.acme]\nname = "A"\n\n[clients.zed.offboarding]\nstarted = 2026-11-01\n',
     [(4, "clients.zed: missing required key 'name'")]),
    # a header renamed by hand: its sub-tables stay under the old name
    ('[clients.acme2]\nname = "A"\n\n[clients.acme.offboarding]\nstarted = 2026-11-01\n',
     [(4, "clients.acme: missing required key 'name'")]),
    # dotted keys, at the root and in a table
    ('clients.acme.name = "A"\nclients.acme.status = "x"\nclients.b.status = "active"\n',
     [(2, "'status' must be one of active, watch, offboarding, ended; found \"x\""),
      (3, "clients.b: missing required key 'name'")]),
    ('[clients]\nacme.name = "A"\n\nacme.status = "gone"\n',
     [(4, "found \"gone\"")]),
    # inline tables
    ('[clients]\nacme = {name = "A", status = "nope"}\nb = {status = "active"}\n',
     [(2, "found \"nope\""), (3, "clients.b: missing required key 'name'")]),
    ('[clients.acme]\nname = "A"\n\nincidents = [\n  {at = 2026-11-01, kind = "x"},\n]\n',
     [(4, "found \"x\"")]),
    # an element of an array of tables
    (f'[clients.acme]\nname = "A"\n\n[[clients.acme.incidents]]\n{INC}\n'
     f'[[clients.acme.incidents]]\nat = 2026-11-02\n',
     [(8, "clients.acme.incidents[1]: missing required key 'kind'")]),
    # values: an integer past what the file holds, as written
    (f'[clients.acme]\nname = "A"\n[[clients.acme.incidents]]\n{INC}'
     'minutes = 99999999999999999999999\n',
     [(6, "'minutes' must be at most 10^15, found 99999999999999999999999")]),
    ('[settings]\ncooling_off_days = 400\nwork_days = ["mon", "xyz"]\n',
     [(2, "'cooling_off_days' must be from 0 to 365, found 400"),
      (3, "unknown day \"xyz\"")]),
    ('[clients.Bad_Id]\nname = "A"\n', [(1, 'client id "Bad_Id" must use only')]),
    # what the TOML reader says: keys as the file writes them
    ('[clients.acme]\nname = "A"\n[clients.acme]\nname = "B"\n',
     [(3, "cannot declare clients.acme twice")]),
    ('[clients."it\'s"]\nname = "A"\n[clients."it\'s"]\n',
     [(3, "cannot declare clients.\"it's\" twice")]),
    (f'[clients.acme]\nname = "A"\nincidents = [{{{INC.replace(chr(10), ", ")[:-2]}}}]\n'
     f'[[clients.acme.incidents]]\n{INC}',
     [(4, "cannot add to clients.acme.incidents: it was written whole above")]),
]

PYTHONISH = re.compile(r"\('|', '|\d\.?\d*e\+\d|Error\b|<class|\\x[0-9a-f]{2}|datetime\.")


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_problem_at_its_line(tmp_path: Path, text: str,
                                  expected: list[tuple[int, str]]) -> None:
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(InvalidFile) as e:
        Store(f, display="c.toml").load()
    lines = e.value.lines
    assert len(lines) == len(expected), lines
    for said, (line, what) in zip(sorted(lines, key=lambda s: int(s.split(":")[1])),
                                  expected, strict=True):
        assert said.startswith(f"c.toml:{line}:"), (said, line)
        assert what in said, (said, what)
        assert not PYTHONISH.search(said.split(": ", 1)[1]), said


def test_the_cli_says_it_too(tmp_path: Path) -> None:
    import subprocess
    import sys

    f = tmp_path / "m.toml"
    f.write_text(CASES[0][0])
    r = subprocess.run([sys.executable, "-m", "clientfit_tui", "--file", str(f), "check"],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (1, f"{f}:4:1: clients.zed: missing required key "
                                           "'name'\n")


def test_paths_as_toml_keys() -> None:
    assert dotted(("clients", "acme", "incidents", 2, "minutes")) == \
        "clients.acme.incidents[2].minutes"
    assert dotted(("clients", "a b", "x")) == 'clients."a b".x'
    assert dotted(("settings",)) == "settings"


def test_values_as_toml_writes_them() -> None:
    assert shown("it's") == '"it\'s"'
    assert shown('a"b\n\x1b') == '"a\\"b\\n\\u001B"'
    assert shown(99999999999999999999999) == "99999999999999999999999"
    assert shown(10**40) == "an integer past 10^30"
    assert shown(True) == "true"
    assert shown(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "2026-01-02T03:04:00+00:00"
    assert shown([1, "a"]) == '[1, "a"]'
    assert shown({"a b": 1}) == '{"a b" = 1}'
    assert len(shown("x" * 500)) == 60


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(),
                 st.lists(st.integers(), max_size=20)))
def test_no_value_is_shown_the_python_way(v: object) -> None:
    s = shown(v)
    assert not re.search(r"\d\.?\d*e\+\d{2}\b", s) or isinstance(v, float)
    assert "\x1b" not in s and "\n" not in s and not s.startswith("'")


def test_numbers_typed_are_refused_in_words() -> None:
    with pytest.raises(ValueError, match=r"^must be at most 10\^15$"):
        read_number("99999999999999999999999")
    with pytest.raises(ValueError, match=r'^not a number: "12o"$'):
        read_number("12o")
    with pytest.raises(ValueError, match=r'^not a number of minutes: "it\'s" '):
        read_minutes("it's")


@pytest.mark.parametrize(("typed", "said", "offset"), [
    ("2020-01-01 00:00 UTC+5", "UTC+5", "+05:00"),
    ("2020-01-01 00:00 GMT-0330", "GMT-0330", "-03:30"),
    ("2020-01-01 10:00 gmt+3", "gmt+3", "+03:00"),
])
def test_a_named_offset_is_refused_with_what_was_typed(typed: str, said: str,
                                                       offset: str) -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    with pytest.raises(ValueError) as e:
        dates.parse_when(typed, now, UTC)
    assert f"'{said}' is read two ways: write the offset alone, like {offset}" in str(e.value)
    assert "GMT+3'" not in str(e.value) or said.upper() == "GMT+3"


def test_quoted_round_trips_as_toml() -> None:
    import tomllib

    for s in ["plain", "it's", 'a"b', "tab\there", "bell\x07", "é ünïcode", "back\\slash"]:
        assert tomllib.loads(f"x = {quoted(s)}")["x"] == s
