"""Shapes the README promises are edited (quoted keys in headers, inline tables, clients
by dotted keys, arrays of tables split around another client, mixed line endings):
each edit is written, reads back as intended, and changes no line it did not mean to."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from clientfit_tui.store import edit
from clientfit_tui.store.fallback import keep_outside
from clientfit_tui.store.store import Store, StoreError

NEW = {"at": datetime(2026, 11, 30, 10), "kind": "other", "severity": 1}
INLINE_BETA = '[clients.beta]\nname = "B"\nincidents = [ { at = 2026-10-01, kind = "other" } ]\n'
SPLIT = ('[clients.acme]\nname = "A"\n\n[[clients.acme.incidents]]\nat = 2026-11-01T10:00:00\n'
         'kind = "other"\n\n' + INLINE_BETA + '\n[[clients.acme.incidents]]\n'
         'at = 2026-11-02T10:00:00\nkind = "other"\n')

QSPLIT = SPLIT.replace("[clients.acme]", '[clients."acme"]', 1)


def cli(*args: str, now: str = "2026-12-01T12:00:00") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIENTFIT_NOW": now}
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def quoted(head: str, incidents: str = "[[clients.acme.incidents]]") -> str:
    return (f'{head}\nname = "A"\n\n{incidents}\nat = 2026-11-01\nkind = "other"\n\n'
            + INLINE_BETA)


def only_changed(old: str, new: str, allowed: set[int]) -> None:
    """Every line of `old` but those numbered in `allowed` is in `new`, byte for byte
    and in order."""
    a, b = old.split("\n"), new.split("\n")
    it = iter(b)
    for n, line in enumerate(a):
        if n not in allowed:
            assert any(line == x for x in it), (line, old, new)


def write(tmp_path: Path, text: str, name: str = "c.toml") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode())
    return p


HEADS = ['[clients."acme"]', "[clients.'acme']", '["clients".acme]', "[ clients . acme ]"]


@pytest.mark.parametrize("head", HEADS)
def test_a_log_keeps_the_spelling_of_other_headers(tmp_path: Path, head: str) -> None:
    old = quoted(head)
    p = write(tmp_path, old)
    r = cli("--file", str(p), "log", "beta", "x", "--at", "-1h")
    assert r.returncode == 0, r.stderr
    new = p.read_text()
    only_changed(old, new, {9})  # beta's incidents line alone
    assert len(tomllib.loads(new)["clients"]["beta"]["incidents"]) == 2


@pytest.mark.parametrize("head", HEADS)
def test_every_edit_through_tomlkit_keeps_other_headers(tmp_path: Path, head: str) -> None:
    old = quoted(head)
    p = write(tmp_path, old)
    store = Store(p)
    change = edit.Remove("beta", "incidents", 0)
    back = change.inverse(store.load().raw)
    for step in (change, back, edit.SetKeys("beta", {"status": "watch"}),
                 edit.SetKeys("beta", {"decided": datetime(2026, 12, 1)}, sub="offboarding")):
        before = p.read_text()
        intended = step.apply(tomllib.loads(before))
        store.apply(step)
        after = p.read_text()
        assert tomllib.loads(after) == intended
        only_changed(before, after, set(range(7, 12)))  # beta's lines alone
    assert p.read_text().startswith(old[: old.index("[clients.beta]")])


def test_spaced_array_of_tables_headers_are_kept(tmp_path: Path) -> None:
    old = quoted('["clients".acme]', "[[ clients.acme.incidents ]]")
    p = write(tmp_path, old)
    Store(p).apply(edit.Append("beta", "incidents", NEW))
    only_changed(old, p.read_text(), {9})


def test_keep_outside_compares_headers_by_their_key_path() -> None:
    old = '[clients."a"]\n[[ clients.a.b ]] # c\n[x]\ny = 1\n'
    new = '[clients."a"]\n[[clients."a".b]] # c\n[x]\ny = 2\n'
    assert keep_outside(old, new) == '[clients."a"]\n[[ clients.a.b ]] # c\n[x]\ny = 2\n'
    # a header whose path changes is written anew
    assert keep_outside("[a.b]\n", "[a.c]\n") == "[a.c]\n"


def test_many_edits_on_different_shapes_are_written(tmp_path: Path) -> None:
    """An inline array and an array of tables split around it, in one change."""
    p = write(tmp_path, SPLIT)
    change = edit.Many([edit.Append("beta", "incidents", NEW),
                        edit.Append("acme", "incidents", NEW)])
    intended = change.apply(tomllib.loads(SPLIT))
    Store(p).apply(change)
    new = p.read_text()
    assert tomllib.loads(new) == intended
    only_changed(SPLIT, new, {9})
    assert new.startswith(SPLIT.replace("kind = \"other\" } ]", "kind = \"other\" }, { at = "
                                        "2026-11-30T10:00:00, kind = \"other\", severity = 1 } ]"))


@pytest.mark.parametrize("text", [SPLIT, QSPLIT])
def test_import_into_mixed_shapes_is_written(tmp_path: Path, text: str) -> None:
    p = write(tmp_path, text)
    csv = tmp_path / "p.csv"
    csv.write_text("type,client,at,kind,note\nincident,beta,2026-11-30T10:00:00,other,a\n"
                   "incident,acme,2026-11-30T10:00:00,other,b\n")
    r = cli("--file", str(p), "import", str(csv))
    assert r.returncode == 0, r.stderr
    only_changed(text, p.read_text(), {9})
    data = tomllib.loads(p.read_text())["clients"]
    assert [i.get("note") for i in data["acme"]["incidents"]] == [None, None, "b"]
    assert [i.get("note") for i in data["beta"]["incidents"]] == [None, "a"]


@pytest.mark.parametrize("text", [SPLIT, QSPLIT])
def test_merging_into_mixed_shapes_is_written(tmp_path: Path, text: str) -> None:
    ours = write(tmp_path, text, "o.toml")
    theirs = write(tmp_path, text, "t.toml")
    for cid in ("acme", "beta"):
        r = cli("--file", str(theirs), "log", cid, f"t-{cid}", "--at", "-3h")
        assert r.returncode == 0, r.stderr
    r = cli("merge", "--two", str(ours), str(theirs))
    assert r.returncode == 0, r.stderr
    assert tomllib.loads(ours.read_text()) == tomllib.loads(theirs.read_text())
    only_changed(text, ours.read_text(), {9})


DECIDE = [
    'clients.acme.name = "A"\nclients.acme.status = "watch"\n',
    '[clients]\nacme.name = "A"\nacme.status = "watch"\n',
    '[clients]\nacme = { name = "A", status = "watch" }\n',
    '[clients]\nacme = {name = "A", status = "watch"}\n\n[clients."b"]\nname = "B"\n',
    '[clients]\nacme = { name = "A", status = "watch" }\n\n[clients."b"]\nname = "B"\n\n'
    '[[clients.b.incidents]]\nat = 2026-11-01\nkind = "other"\n',
]


@pytest.mark.parametrize("text", DECIDE)
def test_decide_on_a_dotted_or_inline_client(tmp_path: Path, text: str) -> None:
    p = write(tmp_path, text)
    r = cli("--file", str(p), "decide", "acme", now="2026-12-20T12:00:00")
    assert r.returncode == 0, r.stderr
    new = p.read_text()
    acme = tomllib.loads(new)["clients"]["acme"]
    assert acme["status"] == "offboarding"
    assert acme["offboarding"]["decided"] == datetime(2026, 12, 20, 12)
    only_changed(text, new, {n for n, line in enumerate(text.split("\n"))
                             if "watch" in line})


def test_a_sub_table_of_an_inline_client_is_spaced_like_it(tmp_path: Path) -> None:
    p = write(tmp_path, '[clients]\nacme = {name = "A"}\n')
    Store(p).apply(edit.SetKeys("acme", {"decided": datetime(2026, 12, 1)}, sub="offboarding"))
    assert "offboarding = {decided = 2026-12-01T00:00:00}" in p.read_text()


MIXED = ('[clients.acme]\r\nname = "A"\r\n\r\n[[clients.acme.incidents]]\r\nat = 2026-11-01\r\n'
         'kind = "other"\r\n\r\n[clients.beta]\nname = "B"\nstatus = "watch"\n\n'
         '[clients.gamma]\nname = "G"\nincidents = [ { at = 2026-10-01, kind = "other" } ]\n\n'
         '[clients.delta]\nname = "D"\n\n[[clients.delta.incidents]]\nat = 2026-11-01\n'
         'kind = "other"\n')


@pytest.mark.parametrize("args", [("decide", "beta"), ("log", "delta", "x", "--at", "-1h"),
                                  ("log", "gamma", "x", "--at", "-1h"),
                                  ("log", "acme", "x", "--at", "-1h")])
def test_a_new_line_takes_the_ending_of_the_line_it_follows(tmp_path: Path,
                                                            args: tuple[str, ...]) -> None:
    p = write(tmp_path, MIXED)
    r = cli("--file", str(p), *args, now="2026-12-20T12:00:00")
    assert r.returncode == 0, r.stderr
    new = p.read_bytes().decode()
    crlf = args[1] == "acme"
    assert new.count("\r\n") == MIXED.count("\r\n") + (6 if crlf else 0), new
    assert new.startswith(MIXED[: MIXED.index("[clients.beta]")])


def test_splices_take_the_ending_of_the_line_they_follow(tmp_path: Path) -> None:
    old = '[clients.a]\nname = "A"\n\n[clients.b]\r\nname = "B"\r\n'
    p = write(tmp_path, old)
    store = Store(p)
    store.apply(edit.SetKeys("a", {"notes": "n"}))
    store.apply(edit.SetKeys("b", {"notes": "m"}))
    store.apply(edit.Append("a", "incidents", NEW))
    assert p.read_bytes().decode() == (
        '[clients.a]\nname = "A"\nnotes = "n"\n\n[[clients.a.incidents]]\n'
        'at = 2026-11-30T10:00:00\nkind = "other"\nseverity = 1\n\n'
        '[clients.b]\r\nname = "B"\r\nnotes = "m"\r\n')


def test_merge_markers_take_the_ending_of_the_line_they_follow() -> None:
    from clientfit_tui.store.markers import mark

    text = '[a]\r\nx = 1\r\n[b]\ny = 2\n'
    assert mark(text, "\r\n", [((4, 5), ["b", "y"], 3)])[0] == (
        '[a]\r\nx = 1\r\n[b]\n<<<<<<< ours\ny = 2\n=======\ny = 3\n>>>>>>> theirs\n')
    assert mark(text, "\n", [((2, 5), ["a", "x"], 3)])[0] == (
        '[a]\r\n<<<<<<< ours\r\nx = 1\r\n=======\r\nx = 3\r\n>>>>>>> theirs\r\n[b]\ny = 2\n')


def test_a_shape_that_cannot_be_edited_is_refused_in_plain_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clientfit_tui.store import write as writer

    def broken(self: object, snap: object, change: object) -> str:
        raise ValueError("Inline tables cannot contain a table")

    monkeypatch.setattr(writer.Writer, "tomlkit_text", broken)
    old = '[clients]\nacme = { name = "A" }\n'
    p = write(tmp_path, old)
    with pytest.raises(StoreError) as e:
        Store(p).apply(edit.SetKeys("acme", {"status": "watch"}))
    said = str(e.value)
    assert "cannot make this change to 'acme'" in said and "by hand" in said
    assert "Error" not in said
    assert p.read_text() == old


@pytest.mark.parametrize("text", [
    '[clients]\n  acme.name = "A"\n  acme.status = "watch" # hm\n\n[clients.b]\nname = "B"\n',
    '[clients]\nacme = { name = "A", status = "watch" }\n\n[clients.b]\nname = "B"\n',
    'clients.acme.name = "A"\r\nclients.acme.status = "watch"\n',
])
def test_a_decision_on_a_dotted_or_inline_client_is_undone_to_the_same_bytes(
        tmp_path: Path, text: str) -> None:
    p = write(tmp_path, text)
    store = Store(p)
    change = edit.Many([edit.SetKeys("acme", {"status": "offboarding"}),
                        edit.SetKeys("acme", {"decided": datetime(2026, 12, 1)},
                                     sub="offboarding")])
    back = change.inverse(store.load().raw)
    store.apply(change)
    if "acme.name" in text:  # a dotted client gains its table as dotted keys
        assert "acme.offboarding.decided = 2026-12-01T00:00:00" in p.read_text()
    store.apply(back)
    assert p.read_bytes() == text.encode()
