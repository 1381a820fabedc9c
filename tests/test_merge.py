"""Merging versions of the data file: the three-way rules, conflicts, two-way copies."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.store.copies import conflict_copies, copies_message
from clientfit_tui.store.merge import Conflict, plan, similar
from clientfit_tui.store.mergefile import Merged, merge
from clientfit_tui.store.store import InvalidFile, Store

BASE = """\
# my clients: comments stay
[settings]
cooling_off_days = 3  # days

[clients.acme]
name = "ACME Corp"   # the big one
status = "watch"

[[clients.acme.incidents]]
at = 2026-11-20T23:14:00
kind = "after-hours"
severity = 2
note = "first"

[[clients.acme.incidents]]
at = 2026-11-21T10:00:00
kind = "vague-feedback"
note = "second"

[[clients.acme.invoices]]
number = "2026-031"
amount = 100.0
due = 2026-10-01

[clients.gecko]
name = "Gecko"
"""

INCIDENT = """
[[clients.{cid}.incidents]]
at = {at}
kind = "other"
note = "{note}"
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def three(tmp_path: Path, ours: str, theirs: str, base: str = BASE) -> tuple[Merged, str]:
    """Merge the three texts; the result's text."""
    b, o, t = (write(tmp_path, n, x) for n, x in (("base.toml", base), ("ours.toml", ours),
                                                   ("theirs.toml", theirs)))
    got = merge(b, o, t, "clients.toml")
    return got, got.content.decode()


def data(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def notes(text: str, cid: str = "acme") -> list[str]:
    return [i["note"] for i in data(text)["clients"][cid].get("incidents", [])]


def add_incident(text: str, note: str, cid: str = "acme", at: str = "2026-11-25T10:00:00") -> str:
    """An incident added where `log` adds it: after the client's last incident."""
    block = INCIDENT.format(cid=cid, at=at, note=note)
    marker = "\n[[clients.acme.invoices]]" if cid == "acme" else None
    if marker and marker in text:
        i = text.index(marker)
        return text[:i] + block + text[i:]
    return text + block


def test_incidents_added_on_both_sides_are_all_kept(tmp_path: Path) -> None:
    """Additions on either side are kept, OURS's comments and layout too."""
    ours = add_incident(BASE, "ours")
    theirs = add_incident(add_incident(BASE, "theirs", at="2026-11-26T10:00:00"), "gecko",
                          cid="gecko")
    got, text = three(tmp_path, ours, theirs)
    assert got.changed and not got.conflicts
    assert notes(text) == ["first", "second", "ours", "theirs"]
    assert notes(text, "gecko") == ["gecko"]
    assert text.startswith(ours[: ours.index("[[clients.acme.invoices]]")])
    assert "# my clients: comments stay" in text and '"ACME Corp"   # the big one' in text


def test_the_same_incident_added_on_both_sides_is_kept_once(tmp_path: Path) -> None:
    both = add_incident(BASE, "same")
    got, text = three(tmp_path, both, add_incident(both, "theirs too", at="2026-11-26T09:00:00"))
    assert notes(text) == ["first", "second", "same", "theirs too"]
    got, text = three(tmp_path, both, both)
    assert not got.changed and text == both


def test_a_value_changed_on_one_side_takes_that_change(tmp_path: Path) -> None:
    theirs = BASE.replace('status = "watch"', 'status = "offboarding"') \
        .replace("cooling_off_days = 3", "cooling_off_days = 5") \
        .replace('note = "second"', 'note = "second, clarified"')
    ours = add_incident(BASE, "ours").replace('due = 2026-10-01', 'due = 2026-10-01\npaid = 2026-11-02')
    got, text = three(tmp_path, ours, theirs)
    d = data(text)
    assert not got.conflicts
    assert d["clients"]["acme"]["status"] == "offboarding"
    assert d["settings"]["cooling_off_days"] == 5
    assert "cooling_off_days = 5  # days" in text
    assert notes(text) == ["first", "second, clarified", "ours"]
    assert str(d["clients"]["acme"]["invoices"][0]["paid"]) == "2026-11-02"


def test_an_element_deleted_on_one_side_goes_unless_changed_on_the_other(tmp_path: Path) -> None:
    no_first = BASE.replace(INCIDENT_FIRST, "")
    _, text = three(tmp_path, BASE, no_first)
    assert notes(text) == ["second"]
    _, text = three(tmp_path, no_first, BASE)
    assert notes(text) == ["second"]
    changed = BASE.replace('note = "first"', 'note = "first, with more"')
    _, text = three(tmp_path, changed, no_first)
    assert notes(text) == ["first, with more", "second"]
    _, text = three(tmp_path, no_first, changed)
    assert sorted(notes(text)) == ["first, with more", "second"]


INCIDENT_FIRST = """
[[clients.acme.incidents]]
at = 2026-11-20T23:14:00
kind = "after-hours"
severity = 2
note = "first"
"""


def test_clients_added_on_either_side_are_kept(tmp_path: Path) -> None:
    theirs = BASE + '\n[clients.new-one]\nname = "New"\nhours = 10\n' + \
        INCIDENT.format(cid="new-one", at="2026-11-26", note="new trouble") + \
        '\n[clients.new-one.offboarding]\ndecided = 2026-11-26T09:00:00\n'
    ours = BASE + '\n[clients.mine]\nname = "Mine"\n'
    _, text = three(tmp_path, ours, theirs)
    d = data(text)["clients"]
    assert set(d) == {"acme", "gecko", "mine", "new-one"}
    assert d["new-one"]["incidents"][0]["note"] == "new trouble"
    assert d["new-one"]["offboarding"]["decided"].day == 26
    assert "[[clients.new-one.incidents]]" in text  # a block, as written by hand


def test_a_client_deleted_on_one_side_goes_unless_changed(tmp_path: Path) -> None:
    without = BASE.replace('\n[clients.gecko]\nname = "Gecko"\n', "\n")
    _, text = three(tmp_path, BASE, without)
    assert "gecko" not in data(text)["clients"]
    _, text = three(tmp_path, without, BASE.replace('"Gecko"', '"Gecko Ltd"'))
    assert data(text)["clients"]["gecko"]["name"] == "Gecko Ltd"


def test_unknown_keys_merge_key_by_key(tmp_path: Path) -> None:
    theirs = BASE.replace('status = "watch"', 'status = "watch"\nmood = "tense"') + \
        '\n[meta]\nowner = "me"\n'
    ours = BASE.replace("cooling_off_days = 3  # days",
                        "cooling_off_days = 3  # days\nrate = 80")
    got, text = three(tmp_path, ours, theirs)
    d = data(text)
    assert not got.conflicts
    assert d["clients"]["acme"]["mood"] == "tense" and d["meta"] == {"owner": "me"}
    assert d["settings"] == {"cooling_off_days": 3, "rate": 80}


def test_a_value_changed_two_ways_is_a_conflict_with_both_values(tmp_path: Path) -> None:
    ours = BASE.replace('status = "watch"', 'status = "ended"  # done').replace(
        'note = "first"', 'note = "first, ours"')
    theirs = add_incident(BASE.replace('status = "watch"', 'status = "offboarding"').replace(
        'note = "first"', 'note = "first, theirs"'), "theirs")
    got, text = three(tmp_path, ours, theirs)
    assert [(line, c.name, c.ours, c.theirs) for line, c in got.conflicts] == [
        (7, "acme.status", "ended", "offboarding"),
        (17, "acme.incidents[1].note", "first, ours", "first, theirs")]
    lines = text.splitlines()
    assert lines[6:11] == ["<<<<<<< ours", 'status = "ended"  # done', "=======",
                           'status = "offboarding"', ">>>>>>> theirs"]
    assert lines[16:21] == ["<<<<<<< ours", 'note = "first, ours"', "=======",
                            'note = "first, theirs"', ">>>>>>> theirs"]
    assert 'note = "theirs"' in text  # the clean part is merged
    with pytest.raises(InvalidFile) as e:
        Store(write(tmp_path, "result.toml", text), "result.toml").load()
    assert e.value.lines[0].startswith("result.toml:7:1: an unresolved merge conflict "
                                       "(marker lines 7, 9, 11)")
    assert e.value.lines[1].startswith("result.toml:17:1:")


def test_conflicts_in_a_multi_line_value_wrap_it_whole(tmp_path: Path) -> None:
    base = BASE.replace('name = "Gecko"', 'name = "Gecko"\nnotes = """\nline one\n"""')
    ours = base.replace("line one", "line one, ours")
    got, text = three(tmp_path, ours, base.replace("line one", "line one, theirs"), base)
    assert [c.name for _, c in got.conflicts] == ["gecko.notes"]
    assert text.endswith('<<<<<<< ours\nnotes = """\nline one, ours\n"""\n=======\n'
                         'notes = "line one, theirs\\n"\n>>>>>>> theirs\n')


@pytest.mark.parametrize(("b", "o", "t", "expected"), [
    ({"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}),
    ({"a": 1}, {"a": 1}, {"a": 2}, {"a": 2}),
    ({"a": 1}, {"a": 2}, {"a": 2}, {"a": 2}),
    ({"a": 1}, {}, {"a": 1}, {}),
    ({"a": 1}, {"a": 1}, {}, {}),
    ({"a": 1}, {}, {"a": 3}, {"a": 3}),          # deleted here, changed there
    ({"a": 1}, {"a": 3}, {}, {"a": 3}),
    ({}, {"a": 1}, {"b": 2}, {"a": 1, "b": 2}),
    ({"a": 1}, {"a": 1.0}, {"a": 1}, {"a": 1.0}),  # 1.0 is a change of 1
])
def test_key_by_key_rules(b: dict[str, Any], o: dict[str, Any], t: dict[str, Any],
                          expected: dict[str, Any]) -> None:
    """The settings table as BASE, OURS, THEIRS: the keys OURS ends with."""
    p = plan({"settings": b}, {"settings": o}, {"settings": t})
    assert not p.conflicts
    got = dict(o)
    for e in p.rounds[0]:
        got = e.apply({"settings": got})["settings"]
    assert got == expected and all(type(got[k]) is type(expected[k]) for k in got)


def test_values_added_or_changed_two_ways_are_conflicts() -> None:
    assert plan({"settings": {}}, {"settings": {"a": 1}}, {"settings": {"a": 2}}).conflicts == \
        [Conflict(("settings", "a"), 1, 2)]
    assert plan({"x": 0}, {"x": 1}, {"x": 2}).conflicts == [Conflict(("x",), 1, 2)]


def test_a_changed_element_is_matched_by_most_keys_equal() -> None:
    a = {"at": 1, "kind": "other", "note": "x"}
    assert similar(a, {**a, "note": "y"}) == 2
    assert similar(a, {"at": 1, "kind": "late-payment", "note": "y"}) == 0


def test_two_copies_merge_to_the_union(tmp_path: Path) -> None:
    """Without a base: every element once, an element that only adds keys is that
    element, and a value that differs is a conflict."""
    ours = add_incident(BASE, "ours")
    theirs = add_incident(BASE, "theirs", at="2026-11-26T10:00:00").replace(
        "due = 2026-10-01", "due = 2026-10-01\npaid = 2026-11-02")
    o, t = write(tmp_path, "clients.toml", ours), write(tmp_path, "copy.toml", theirs)
    got = merge(None, o, t)
    d = data(got.content.decode())["clients"]["acme"]
    assert not got.conflicts
    assert [i["note"] for i in d["incidents"]] == ["first", "second", "ours", "theirs"]
    assert len(d["invoices"]) == 1 and "paid" in d["invoices"][0]
    t = write(tmp_path, "copy.toml", BASE.replace('"watch"', '"ended"'))
    got = merge(None, o, t)
    assert [c.name for _, c in got.conflicts] == ["acme.status"]


def test_sync_copies_beside_the_file_are_found(tmp_path: Path) -> None:
    p = write(tmp_path, "clients.toml", BASE)
    assert copies_message(p) is None
    for name in ("clients.sync-conflict-20261127-101112-ABCDEFG.toml",
                 "clients (conflicted copy).toml",
                 "clients (Laptop's conflicted copy 2026-11-27).toml",
                 "other.sync-conflict-1.toml", "clients (1).toml"):
        write(tmp_path, name, BASE)
    assert [Path(c).name for c in conflict_copies(p)] == [
        "clients (Laptop's conflicted copy 2026-11-27).toml", "clients (conflicted copy).toml",
        "clients.sync-conflict-20261127-101112-ABCDEFG.toml"]
    said = copies_message(p)
    assert said is not None and "(and 2 more)" in said
    assert f"clientfit merge --two {p} " in said


# -- the property: additions on both sides merge to the union, in either order ---------

_note = st.text(alphabet="abcdefgh ", min_size=1, max_size=6)
_incident = st.builds(lambda day, note, sev: (day, note, sev),
                      st.integers(1, 28), _note, st.integers(1, 3))


def _with(text: str, added: list[tuple[int, str, int]], cid: str) -> str:
    for day, note, sev in added:
        text += (f"\n[[clients.{cid}.incidents]]\nat = 2026-10-{day:02d}\nkind = \"other\"\n"
                 f"severity = {sev}\nnote = \"{note}\"\n")
    return text


def _all(text: str) -> list[tuple[str, str, str, int]]:
    d = data(text)["clients"]
    return sorted((cid, str(i["at"]), i["note"], i.get("severity", 1))
                  for cid, c in d.items() for i in c.get("incidents", []))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ours=st.lists(st.tuples(st.sampled_from(["acme", "gecko"]), _incident), max_size=4),
       theirs=st.lists(st.tuples(st.sampled_from(["acme", "gecko"]), _incident), max_size=4))
def test_additions_on_both_sides_merge_to_the_union(tmp_path: Path, ours: Any, theirs: Any) -> None:
    def side(adds: Any) -> str:
        text = BASE
        for cid in ("acme", "gecko"):
            text = _with(text, [x for c, x in adds if c == cid], cid)
        return text

    o, t = side(ours), side(theirs)
    a, _ = three(tmp_path, o, t)
    b, _ = three(tmp_path, t, o)
    assert not a.conflicts and not b.conflicts
    expected = _all(BASE)
    union: list[Any] = []
    for cid in ("acme", "gecko"):
        mine = [x for c, x in ours if c == cid]
        other = [x for c, x in theirs if c == cid]
        rest = list(other)
        for x in mine:
            if x in rest:
                rest.remove(x)
        union += [(cid, x) for x in mine + rest]
    expected += [(cid, f"2026-10-{day:02d}", note, sev) for cid, (day, note, sev) in union]
    assert _all(a.content.decode()) == sorted(expected) == _all(b.content.decode())


# -- the property: any changes on one side alone merge to that side; either order agrees --

_op = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["acme", "gecko"]), _incident),
    st.tuples(st.just("drop"), st.sampled_from(["acme", "gecko"]), st.integers(0, 5)),
    st.tuples(st.just("note"), st.sampled_from(["acme", "gecko"]), st.integers(0, 5), _note),
    st.tuples(st.just("status"), st.sampled_from(["acme", "gecko"]),
              st.sampled_from(["active", "watch", "ended"])),
    st.tuples(st.just("client"), st.sampled_from(["new-a", "new-b"]), _incident),
)


def _changed(ops: list[Any]) -> dict[str, Any]:
    """BASE's data with the operations made on it."""
    d = data(BASE)
    clients = d["clients"]
    for op in ops:
        kind, cid = op[0], op[1]
        if kind == "client":
            day, note, sev = op[2]
            clients.setdefault(cid, {"name": cid.upper(), "incidents": []})
            clients[cid]["incidents"].append(
                {"at": f"2026-10-{day:02d}", "kind": "other", "severity": sev, "note": note})
            continue
        arr = clients[cid].setdefault("incidents", [])
        if kind == "add":
            day, note, sev = op[2]
            arr.append({"at": f"2026-10-{day:02d}", "kind": "other", "severity": sev,
                        "note": note})
        elif kind == "drop" and op[2] < len(arr):
            del arr[op[2]]
        elif kind == "note" and op[2] < len(arr):
            arr[op[2]]["note"] = op[3]
        elif kind == "status":
            clients[cid]["status"] = op[2]
        if not arr:
            del clients[cid]["incidents"]
    return d


def _render(d: dict[str, Any]) -> str:
    """A file of that data, in clientfit's own layout (dates as TOML dates)."""
    from clientfit_tui.store import tomlfmt

    out = ["# rendered", "[settings]", "cooling_off_days = 3", ""]
    for cid, c in d["clients"].items():
        out += [f"[clients.{cid}]", *tomlfmt.table_lines(
            {k: v for k, v in c.items() if not isinstance(v, list)}), ""]
        for arr in ("incidents", "invoices"):
            for item in c.get(arr, []):
                item = {k: (_date(v) if k == "at" and isinstance(v, str) else v)
                        for k, v in item.items()}
                out += [f"[[clients.{cid}.{arr}]]", *tomlfmt.table_lines(item), ""]
    return "\n".join(out)


def _date(s: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(s)


def _canon(text: str) -> dict[str, Any]:
    """The data with each array as a sorted multiset (merges append at the end)."""
    d = data(text)["clients"]
    return {cid: {k: sorted(map(repr, v)) if isinstance(v, list) else v for k, v in c.items()}
            for cid, c in d.items()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ours=st.lists(_op, max_size=4), theirs=st.lists(_op, max_size=4))
def test_changes_merge_alike_in_either_order(tmp_path: Path, ours: Any, theirs: Any) -> None:
    base = _render(data(BASE))
    o, t = _render(_changed(ours)), _render(_changed(theirs))
    alone, _ = three(tmp_path, base, t, base)
    assert not alone.conflicts
    assert _canon(alone.content.decode()) == _canon(t)
    a, _ = three(tmp_path, o, t, base)
    b, _ = three(tmp_path, t, o, base)
    assert sorted(c.name for _, c in a.conflicts) == sorted(c.name for _, c in b.conflicts)
    if not a.conflicts:
        assert _canon(a.content.decode()) == _canon(b.content.decode())


def test_check_names_markers_only_when_they_break_the_file(tmp_path: Path) -> None:
    """A line like a marker inside a string is text; the error elsewhere is said as is."""
    text = BASE.replace('name = "Gecko"', 'name = "Gecko"\nnotes = """\n=======\n"""\nbad =')
    with pytest.raises(InvalidFile) as e:
        Store(write(tmp_path, "c.toml", text), "c.toml").load()
    assert e.value.lines[0].startswith("c.toml:30:6:") and "conflict" not in e.value.lines[0]


def test_a_file_added_on_both_sides_merges_from_an_empty_base(tmp_path: Path) -> None:
    """git gives an empty BASE when both branches added the file."""
    got, text = three(tmp_path, add_incident(BASE, "ours"),
                      add_incident(BASE, "theirs", at="2026-11-26T10:00:00"), base="")
    assert not got.conflicts
    assert notes(text) == ["first", "second", "ours", "theirs"]


def test_keys_and_a_new_offboarding_table_land_in_their_own_tables(tmp_path: Path) -> None:
    theirs = BASE.replace('name = "Gecko"', 'name = "Gecko"\nstatus = "offboarding"\n\n'
                          '[clients.gecko.offboarding]\ndecided = 2026-11-26T09:00:00')
    _, text = three(tmp_path, BASE, theirs)
    gecko = data(text)["clients"]["gecko"]
    assert gecko["status"] == "offboarding" and "decided" in gecko["offboarding"]
    assert text.endswith('name = "Gecko"\nstatus = "offboarding"\n\n'
                         '[clients.gecko.offboarding]\ndecided = 2026-11-26T09:00:00\n')
