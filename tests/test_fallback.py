"""The tomlkit fallback (inline incident arrays, clients by dotted keys) changes no byte
outside the edit: not the spacing of other values, not any line's ending."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.domain.model import KINDS, STATUSES
from clientfit_tui.store import edit, tomlfmt
from clientfit_tui.store.fallback import keep_outside
from clientfit_tui.store.store import Store, StoreError

words = st.text(st.characters(whitelist_categories=("L", "N", "Zs", "Zl"),
                              whitelist_characters="\x85\u2029"), min_size=1,
                max_size=8).filter(lambda s: s.strip() != "")
naive = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda d: d.replace(microsecond=0))
# every kind of value, to stand last in an inline table (where tomlkit re-spaces some)
last_values = st.one_of(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    naive.map(lambda d: ("space", d)),  # a date-time written with a space
    naive, st.times().map(lambda t: t.replace(microsecond=0)),
    st.integers(-1000, 1000), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.booleans(), words, st.lists(st.integers(0, 9), max_size=3),
    st.fixed_dictionaries({"a": st.integers(0, 9)}))
incident = st.fixed_dictionaries(
    {"at": naive, "kind": st.sampled_from(KINDS), "severity": st.integers(1, 3),
     "x": last_values})
client = st.fixed_dictionaries({"name": words, "status": st.sampled_from(STATUSES),
                                "incidents": st.lists(incident, min_size=1, max_size=3)})
files = st.dictionaries(st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True), client,
                        min_size=1, max_size=3)
styles = st.fixed_dictionaries({"dotted": st.booleans(), "multiline": st.booleans(),
                                "spaced": st.booleans(), "endings": st.lists(
                                    st.sampled_from(["\n", "\r\n"]), min_size=1, max_size=8),
                                "head": st.integers(0, 4), "neighbour": st.booleans()})
# a header's key path spelled as people write it (tomlkit re-spells some of them)
HEADS = ("[clients.{c}]", '[clients."{c}"]', "[clients.'{c}']", '["clients".{c}]',
         "[ clients . {c} ]")
# a client with an array of tables under a quoted header, whose lines no edit touches
NEIGHBOUR = ['[clients."zz-n"]', 'name = "N"', "", "[[ clients.zz-n.incidents ]]",
             "at = 2026-01-01", 'kind = "other"', "", '[["clients".zz-n."incidents"]]',
             "at = 2026-01-02", 'kind = "other"']


def value(v: Any, spaced: bool) -> str:
    if isinstance(v, tuple):  # ("space", datetime)
        return tomlfmt.value(v[1]).replace("T", " ")
    if isinstance(v, dict):
        return tomlfmt.inline({k: x for k, x in v.items()}, spaced)
    return tomlfmt.value(v)


def inline(item: dict[str, Any], spaced: bool) -> str:
    inner = ", ".join(f"{k} = {value(v, spaced)}" for k, v in item.items())
    return "{ " + inner + " }" if spaced else "{" + inner + "}"


def plain(v: Any) -> Any:
    """What tomllib reads for a rendered value."""
    if isinstance(v, tuple):
        return v[1]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def render(data: dict[str, Any], style: dict[str, Any]
           ) -> tuple[list[str], dict[str, list[int]], dict[str, int]]:
    """The file's lines (with their endings), each client's incidents lines, and each
    client's status line."""
    body: list[str] = ["[settings]", 'timezone = "UTC"', ""]
    where: dict[str, list[int]] = {}
    status: dict[str, int] = {}
    if style["dotted"]:
        body.append("[clients]")
    for cid, c in data.items():
        pre = f"{cid}." if style["dotted"] else ""
        if not style["dotted"]:
            body += ["", HEADS[style["head"]].format(c=cid)]
        body += [f"{pre}name = {tomlfmt.value(c['name'])}",
                 f"{pre}status = {tomlfmt.value(c['status'])}"]
        status[cid] = len(body) - 1
        first = len(body)
        items = [inline(i, style["spaced"]) for i in c["incidents"]]
        if style["multiline"]:
            body += [f"{pre}incidents = ["] + [f"  {i}," for i in items] + ["]"]
        else:
            body.append(f"{pre}incidents = [{', '.join(items)}]")
        where[cid] = list(range(first, len(body)))
    if style["neighbour"]:
        body += ["", *NEIGHBOUR]
    ends = style["endings"]
    return [line + ends[n % len(ends)] for n, line in enumerate(body)], where, status


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=files, style=styles, pick=st.data())
def test_the_fallback_keeps_every_byte_outside_the_edit(tmp_path: Path, data: dict[str, Any],
                                                       style: dict[str, Any],
                                                       pick: st.DataObject) -> None:
    lines, where, status = render(data, style)
    old = "".join(lines)
    raw = tomllib.loads(old)
    mine = {k: v for k, v in raw["clients"].items() if k != "zz-n"}
    assert mine == {cid: {**c, "incidents": [{k: plain(v) for k, v in i.items()}
                                             for i in c["incidents"]]}
                    for cid, c in data.items()}
    p = tmp_path / "c.toml"
    p.write_bytes(old.encode())
    cid = pick.draw(st.sampled_from(sorted(data)))
    n = len(data[cid]["incidents"])
    what = pick.draw(st.sampled_from(["append", "remove", "set", "status"]))
    new_item = {"at": pick.draw(naive), "kind": "after-hours", "severity": 2}
    change: edit.Edit = {
        "append": edit.Append(cid, "incidents", new_item),
        "remove": edit.Remove(cid, "incidents", pick.draw(st.integers(0, n - 1))),
        "set": edit.SetKeys(cid, {"severity": 3}, sub="incidents",
                            index=pick.draw(st.integers(0, n - 1))),
        "status": edit.SetKeys(cid, {"status": "ended"}),
    }[what]
    if what == "remove" and n == 1:
        what, change = "append", edit.Append(cid, "incidents", new_item)
    intended = change.apply(raw)
    try:
        Store(p).apply(change)
    except StoreError:
        assert p.read_bytes() == old.encode()  # refused: nothing written
        raise
    new = p.read_bytes().decode()
    assert tomllib.loads(new) == intended
    allowed = {status[cid]} if what == "status" else set(where[cid])
    new_lines = [line + "\n" for line in new.split("\n")[:-1]]  # LF alone ends a line
    assert "".join(new_lines) == new
    outside = [line for i, line in enumerate(lines) if i not in allowed]
    assert is_subsequence(outside, new_lines), (old, new)
    assert len(new_lines) <= len(lines) + (what == "append" and style["multiline"])
    # the edited client's inline tables are written as they were (the new one, as its
    # neighbours are), not re-spaced
    items = list(data[cid]["incidents"])
    if isinstance(change, edit.Append):
        items.append(new_item)
    elif isinstance(change, edit.Remove):
        del items[change.index]
    elif what == "set":
        items[change.index] = {**items[change.index], "severity": 3}  # type: ignore[union-attr]
    texts = [inline(i, style["spaced"]) for i in items]
    for t in texts:
        assert new.count(t) >= texts.count(t), (t, old, new)
    if isinstance(change, edit.Append):
        item = inline(new_item, style["spaced"])
        got = [line for line in new_lines if item in line]
        assert len(got) == 1, (item, new)
        if not style["multiline"]:  # the array's line keeps its ending
            assert got[0].endswith("\r\n") == lines[where[cid][0]].endswith("\r\n")
        else:  # a new line takes the ending of the line it follows
            k = new_lines.index(got[0])
            assert got[0].endswith("\r\n") == new_lines[k - 1].endswith("\r\n")

def test_keep_outside_puts_back_what_tomlkit_re_spaced() -> None:
    old = ('[clients]\r\nb.incidents = [{ at = 2026-09-20 }]\n'
           'a.incidents = [{ at = 2026-09-20 10:00:00, n = "x  y" }]\r\n')
    new = ('[clients]\r\nb.incidents = [{ at = 2026-09-20}]\r\n'
           'a.incidents = [{ at = 2026-09-20 10:00:00, n = "x  y"}, { at = 2026-01-01 }]\r\n')
    assert keep_outside(old, new) == (
        '[clients]\r\nb.incidents = [{ at = 2026-09-20 }]\n'
        'a.incidents = [{ at = 2026-09-20 10:00:00, n = "x  y" }, { at = 2026-01-01 }]\r\n')


def test_a_new_line_takes_the_ending_of_the_line_it_follows() -> None:
    old = "[a]\r\nx = 1\r\n[b]\ny = 2\n"
    new = "[a]\nx = 1\nz = 3\n[b]\ny = 2\n"
    assert keep_outside(old, new) == "[a]\r\nx = 1\r\nz = 3\r\n[b]\ny = 2\n"


def test_only_a_line_feed_ends_a_line() -> None:
    old = 'a.n = "x\u2028y\x85z"\r\na.m = 1\n'
    new = 'a.n = "x\u2028y\x85z"\r\na.m = 2\n'
    assert keep_outside(old, new) == new
    assert keep_outside('a.n = "x\u2028 y"\n', 'a.n = "x\u2028 y" \nb = 1\n') == \
        'a.n = "x\u2028 y"\nb = 1\n'


def test_a_string_whose_spacing_the_edit_changes_is_not_put_back() -> None:
    old = 'a.n = "x  y"\n'
    assert keep_outside(old, 'a.n = "x y"\n') == 'a.n = "x y"\n'
    assert keep_outside(old, 'a.n="x  y"\n') == old
