"""Property tests: files in many styles, random edits, exact data and untouched lines."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.domain.model import KINDS, STATUSES
from clientfit_tui.store import edit, tomlfmt
from clientfit_tui.store.store import Store, StoreError

text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10).filter(
    lambda s: s.strip() != "")
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,6}", fullmatch=True)
naive = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda d: d.replace(microsecond=0))
moments = st.one_of(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    naive,
    st.builds(lambda d, h: d.replace(tzinfo=timezone(timedelta(minutes=h * 30))), naive,
              st.integers(-20, 24)),
)
incident = st.fixed_dictionaries(
    {"at": moments, "kind": st.sampled_from(KINDS)},
    optional={"severity": st.integers(1, 3), "minutes": st.integers(0, 600), "note": text})
client = st.fixed_dictionaries(
    {"name": text, "incidents": st.lists(incident, max_size=4)},
    optional={"status": st.sampled_from(STATUSES), "regular": st.booleans(),
              "revenue": st.floats(0, 1e6, allow_nan=False), "notes": text}).map(
    lambda c: {k: v for k, v in c.items() if v != []})
clients = st.dictionaries(ids, client, min_size=1, max_size=4)
styles = st.fixed_dictionaries({
    "crlf": st.booleans(), "comments": st.booleans(), "split": st.booleans(),
    "dotted": st.booleans(), "inline": st.booleans(), "indent": st.booleans(),
    "quoted": st.booleans(), "settings": st.booleans()})


def render(data: dict[str, dict[str, Any]], style: dict[str, bool]) -> str:
    """A clientfit file for `data`, written in one of the ways people write TOML."""
    out: list[str] = []
    ind = "  " if style["indent"] else ""
    com = "  # note" if style["comments"] else ""

    def key(k: str) -> str:
        return tomlfmt.string(k) if style["quoted"] else tomlfmt.key(k)

    if style["comments"]:
        out.append("# clientfit data, by hand")
    if style["settings"]:
        out += ["[settings]", "cooling_off_days = 3" + com,
                "instinct = { reviews = 3, within_days = 90 }", ""]
    later: list[str] = []
    if style["dotted"]:
        out.append("[clients]")
    for cid, c in data.items():
        scalars = {k: v for k, v in c.items() if k != "incidents"}
        if style["dotted"]:
            out += [f"{ind}{tomlfmt.key(cid)}.{key(k)} = {tomlfmt.value(v)}{com}"
                    for k, v in scalars.items()]
            if style["inline"] and "incidents" in c:
                out.append(f"{ind}{tomlfmt.key(cid)}.incidents = {tomlfmt.value(c['incidents'])}")
            continue
        out.append(f"[clients.{tomlfmt.key(cid)}]" + (" # the client" if style["comments"] else ""))
        out += [f"{ind}{key(k)} = {tomlfmt.value(v)}{com}" for k, v in scalars.items()]
        if style["inline"] and "incidents" in c:
            out.append(f"{ind}incidents = [")
            out += [f"{ind}  {tomlfmt.value(i)}," for i in c["incidents"]]
            out.append(f"{ind}]")
            continue
        incs = c.get("incidents", [])
        for n, inc in enumerate(incs):
            block = ["", f"[[clients.{tomlfmt.key(cid)}.incidents]]"]
            block += [f"{ind}{key(k)} = {tomlfmt.value(v)}{com}" for k, v in inc.items()]
            # split: the second half of each array after every client (order is kept)
            (later if style["split"] and n >= len(incs) // 2 else out).extend(block)
        if style["comments"]:
            out.append("# ----")
        out.append("")
    if style["dotted"]:
        for cid, c in data.items():
            if not style["inline"]:
                for inc in c.get("incidents", []):
                    out += ["", f"[[clients.{tomlfmt.key(cid)}.incidents]]"]
                    out += [f"{key(k)} = {tomlfmt.value(v)}" for k, v in inc.items()]
    out += later
    nl = "\r\n" if style["crlf"] else "\n"
    return nl.join(out) + nl


def edits_for(data: dict[str, Any], draw: Any) -> edit.Edit:
    cid = draw(st.sampled_from(sorted(data)))
    incs = data[cid].get("incidents", [])
    choices = ["append", "status", "decide"] + (["note", "remove"] if incs else [])
    what = draw(st.sampled_from(choices))
    if what == "append":
        return edit.Append(cid, "incidents", draw(incident))
    if what == "status":
        return edit.SetKeys(cid, {"status": draw(st.sampled_from(STATUSES)),
                                  "notes": draw(st.one_of(text, st.just(edit.DELETE)))})
    if what == "decide":
        return edit.SetKeys(cid, {"decided": draw(naive)}, sub="offboarding")
    i = draw(st.integers(0, len(incs) - 1))
    if what == "note":
        return edit.SetKeys(cid, {"note": draw(text), "severity": draw(st.integers(1, 3))},
                            sub="incidents", index=i, expect=incs[i])
    return edit.Remove(cid, "incidents", i, expect=incs[i])


def lines(t: str) -> list[str]:
    """Lines as TOML counts them: split at LF only (U+0085 and friends are text)."""
    return t.split("\n")


def comment_lines(t: str) -> list[str]:
    return sorted(line.strip() for line in lines(t) if line.strip().startswith("#"))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=clients, style=styles, steps=st.data())
def test_random_edits_keep_data_exact_and_lines_untouched(tmp_path: Path, data: dict[str, Any],
                                                          style: dict[str, bool],
                                                          steps: st.DataObject) -> None:
    p = tmp_path / "c.toml"
    original = render(data, style)
    p.write_bytes(original.encode())
    assert tomllib.loads(original)["clients"] == data  # the renderer is right
    store = Store(p)
    snap = store.load()
    for _ in range(steps.draw(st.integers(1, 3))):
        before = p.read_bytes()
        change = edits_for(snap.raw["clients"], steps.draw)
        try:
            intended = change.apply(snap.raw)
            snap = store.apply(change, snap)
        except StoreError:
            assert p.read_bytes() == before  # refused: nothing written
            continue
        after_bytes = p.read_bytes()
        after = after_bytes.decode()
        assert tomllib.loads(after) == intended
        if style["crlf"]:
            assert after_bytes.count(b"\n") == after_bytes.count(b"\r\n")
        old = before.decode()
        # lines of the old text missing from the new one (as a multiset: blocks repeat)
        removed = list((Counter(lines(old)) - Counter(lines(after))).elements())
        if isinstance(change, edit.Append) and not style["inline"]:
            assert removed == [], removed
        if isinstance(change, edit.SetKeys) and not style["dotted"] and not style["inline"]:
            assert len(removed) <= len(change.changes)
        if not isinstance(change, edit.Remove):
            kept = comment_lines(after)
            for c in set(comment_lines(old)):
                assert kept.count(c) >= comment_lines(old).count(c)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=clients, style=styles)
def test_loading_matches_tomllib(tmp_path: Path, data: dict[str, Any],
                                 style: dict[str, bool]) -> None:
    """Whatever the style, the store reads exactly what tomllib reads."""
    p = tmp_path / "c.toml"
    p.write_text(render(data, style), newline="")
    snap = Store(p).load()
    assert snap.raw["clients"] == data
    assert set(snap.data.clients) == set(data)


# Mixed shapes in one file: each client written its own way (headers spelled with quoted
# or spaced keys, arrays of tables or inline arrays, dotted keys, one inline table), and
# one change made of edits to several clients. Every line outside the edit keeps its bytes.
SHAPES = ("aot", "inline-array", "dotted", "inline-table")
HEADS = ("[clients.{k}]", '[clients."{c}"]', "[clients.'{c}']", '["clients".{k}]',
         "[ clients . {k} ]")
AOT_HEADS = ("[[clients.{k}.incidents]]", '[[clients."{c}".incidents]]',
             "[[ clients.{k}.incidents ]]", '[["clients".{k}."incidents"]]')
mixed_clients = st.dictionaries(ids, st.tuples(client, st.sampled_from(SHAPES),
                                               st.integers(0, 4), st.integers(0, 3)),
                                min_size=2, max_size=4)


def render_mixed(data: dict[str, Any], split: bool, endings: list[str]
                 ) -> tuple[list[str], dict[str, dict[Any, list[int]]]]:
    """The file's lines (with endings), and for each client the line numbers of its parts:
    ("key", k) for a key's line, ("inc", i) for an element's lines, "all" for every line
    the client's inline arrays or inline table spread over."""
    out: list[str] = []
    parts: dict[str, dict[Any, list[int]]] = {cid: {} for cid in data}

    def add(cid: str, tag: Any, line: str) -> None:
        parts[cid].setdefault(tag, []).append(len(out))
        parts[cid].setdefault("all", []).append(len(out))
        out.append(line)

    top = {cid: d for cid, d in data.items() if d[1] in ("dotted", "inline-table")}
    if top:
        out.append("[clients]")
    for cid, (c, shape, _, q) in top.items():
        k = tomlfmt.string(cid) if q % 2 else tomlfmt.key(cid)
        if shape == "inline-table":
            add(cid, "client", f"{k} = {tomlfmt.inline(c, spaced=q < 2)}")
            continue
        for name, v in c.items():
            add(cid, "arr" if name == "incidents" else ("key", name),
                f"{k}.{tomlfmt.key(name)} = {tomlfmt.value(v)}")
    later: list[tuple[str, list[tuple[Any, str]]]] = []
    for cid, (c, shape, h, q) in data.items():
        if cid in top:
            continue
        k = tomlfmt.key(cid)
        out.append("")
        add(cid, "head", HEADS[h].format(k=k, c=cid))
        for name, v in c.items():
            if name != "incidents":
                add(cid, ("key", name), f"{tomlfmt.key(name)} = {tomlfmt.value(v)}")
        incs = c.get("incidents", [])
        if shape == "inline-array" and incs:
            add(cid, "arr", f"incidents = {tomlfmt.value(incs)}")
            continue
        for n, inc in enumerate(incs):
            block = [(("inc", n), ""), (("inc", n), AOT_HEADS[q].format(k=k, c=cid))]
            block += [(("inc", n), f"{tomlfmt.key(x)} = {tomlfmt.value(v)}")
                      for x, v in inc.items()]
            if split and n >= len(incs) // 2:
                later.append((cid, block))
            else:
                for tag, line in block:
                    add(cid, tag, line)
    for cid, block in later:
        for tag, line in block:
            add(cid, tag, line)
    return [line + endings[n % len(endings)] for n, line in enumerate(out)], parts


def mixed_edit(cid: str, c: dict[str, Any], draw: Any) -> tuple[Any, list[Any]]:
    """One edit to client `cid`, and the parts of the client it may change."""
    incs = c.get("incidents", [])
    what = draw(st.sampled_from(["append", "status", "decide"]
                                + (["note", "remove"] if incs else [])))
    if what == "append":
        return edit.Append(cid, "incidents", draw(incident)), ["arr"]
    if what == "status":
        return (edit.SetKeys(cid, {"status": draw(st.sampled_from(STATUSES)),
                                   "notes": draw(st.one_of(text, st.just(edit.DELETE)))}),
                [("key", "status"), ("key", "notes")])
    if what == "decide":
        return edit.SetKeys(cid, {"decided": draw(naive)}, sub="offboarding"), []
    i = draw(st.integers(0, len(incs) - 1))
    if what == "note":
        return (edit.SetKeys(cid, {"note": draw(text)}, sub="incidents", index=i,
                             expect=incs[i]), ["arr", ("inc", i)])
    return edit.Remove(cid, "incidents", i, expect=incs[i]), ["arr", ("inc", i)]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=mixed_clients, split=st.booleans(),
       endings=st.lists(st.sampled_from(["\n", "\r\n"]), min_size=1, max_size=5),
       steps=st.data())
def test_one_change_over_clients_of_mixed_shapes(tmp_path: Path, data: dict[str, Any],
                                                 split: bool, endings: list[str],
                                                 steps: st.DataObject) -> None:
    lines_in, parts = render_mixed(data, split, endings)
    old = "".join(lines_in)
    raw = tomllib.loads(old)
    assert raw["clients"] == {cid: d[0] for cid, d in data.items()}  # the renderer is right
    p = tmp_path / "c.toml"
    p.write_bytes(old.encode())
    chosen = steps.draw(st.lists(st.sampled_from(sorted(data)), min_size=1, max_size=3,
                                 unique=True))
    made = [mixed_edit(cid, data[cid][0], steps.draw) for cid in chosen]
    change = made[0][0] if len(made) == 1 else edit.Many([e for e, _ in made])
    intended = change.apply(raw)
    Store(p).apply(change)  # these shapes are edited: a refusal fails the test
    new = p.read_bytes().decode()
    assert tomllib.loads(new) == intended
    allowed: set[int] = set()
    for cid, (_, may) in zip(chosen, made, strict=True):
        if data[cid][1] == "inline-table":
            may = ["client"]
        for tag in may:
            allowed.update(parts[cid].get(tag, []))
    new_lines = [line + "\n" for line in new.split("\n")[:-1]]
    assert "".join(new_lines) == new
    it = iter(new_lines)
    for n, line in enumerate(lines_in):  # every other line, byte for byte and in order
        assert n in allowed or any(line == x for x in it), (n, line, old, new)
