"""The fast paths change nothing but speed: same bytes, same verdicts, the file always wins."""

from __future__ import annotations

import os
import shutil
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.session import Session
from clientfit_tui.store import edit
from clientfit_tui.store.scan import scan
from clientfit_tui.store.store import Store, StoreError, read_blocks
from clientfit_tui.store.verify import splices_verified
from clientfit_tui.store.write import patch
from test_props import clients, edits_for, render, styles

INC = {"at": datetime(2026, 11, 27, 9, 30), "kind": "other", "note": "fast"}


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=clients, style=styles, steps=st.data())
def test_fast_and_slow_paths_write_the_same_bytes(tmp_path: Path, data: dict[str, Any],
                                                  style: dict[str, bool],
                                                  steps: st.DataObject) -> None:
    """Cache and incremental check on, or off with every write read back whole: same file."""
    text = render(data, style)
    fast, slow = tmp_path / "fast.toml", tmp_path / "slow.toml"
    fast.write_text(text, newline="")
    slow.write_text(text, newline="")
    f_store, s_store = Store(fast), Store(slow)
    s_store.full_verify = True
    f_snap = f_store.load(data=False)
    for _ in range(steps.draw(st.integers(1, 3))):
        change = edits_for(f_snap.partial(list(data)) | {"clients": {
            c: f_snap.client_raw(c) for c in data if f_snap.client_raw(c) is not None}}
            ["clients"], steps.draw)
        results = []
        for store, path in ((f_store, fast), (s_store, slow)):
            os.environ["CLIENTFIT_NO_CACHE"] = "" if store is f_store else "1"
            try:
                snap = store.apply(change, None)
                results.append(("ok", path.read_bytes()))
                if store is f_store:
                    f_snap = snap
            except StoreError as e:
                results.append(("refused", type(e).__name__))
        os.environ.pop("CLIENTFIT_NO_CACHE", None)
        assert results[0] == results[1]
    assert fast.read_bytes() == slow.read_bytes()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=clients, style=styles, steps=st.data())
def test_incremental_check_never_accepts_what_a_full_read_refuses(
        tmp_path: Path, data: dict[str, Any], style: dict[str, bool], steps: st.DataObject) -> None:
    """Soundness: whatever the splices (right, moved, corrupted, or straying into other
    blocks), the incremental check passes only texts that read back whole as intended."""
    p = tmp_path / "c.toml"
    p.write_text(render(data, style), newline="")
    store = Store(p)
    snap = store.load(data=False)
    if not snap.exact:
        return
    change = edits_for(snap.raw["clients"], steps.draw)
    ids = change.clients()
    base = snap.partial(ids)
    try:
        after = change.apply(base)
    except edit.EditError:
        return
    doc = edit.Doc(snap.text, snap.index, snap.nl, True)
    splices = change.splice(doc, base)
    if splices is None:
        return
    how = steps.draw(st.sampled_from(["as is", "moved", "corrupted", "stray"]))
    if how == "moved" and splices[0][0] == splices[0][1]:
        starts = [0, *[i + 1 for i, c in enumerate(snap.text) if c == "\n"]]
        at = steps.draw(st.sampled_from(starts))
        splices = [(at, at, splices[0][2]), *splices[1:]]
    elif how == "corrupted" and splices[0][2]:
        s, e, new = splices[0]
        k = steps.draw(st.integers(0, len(new) - 1))
        splices = [(s, e, new[:k] + steps.draw(st.sampled_from(["x", "1", "\n", "#", '"'])) +
                    new[k + 1:]), *splices[1:]]
    elif how == "stray":
        starts = [0, *[i + 1 for i, c in enumerate(snap.text) if c == "\n"]]
        a = steps.draw(st.sampled_from(starts))
        end = snap.text.find("\n", a)
        stray = (a, len(snap.text) if end < 0 else end + 1, "")
        if all(stray[1] <= s or stray[0] >= e for s, e, _ in splices):
            splices = [*splices, stray]
    text = edit.apply_splices(snap.text, splices)
    try:
        index = patch(snap.text, snap.index, splices)
        incremental = splices_verified(snap.text, snap.index, text, index, ids, after, splices)
    except ValueError:  # the store then proves the text whole instead
        incremental = False
    intended = change.apply(snap.raw)
    try:
        full = tomllib.loads(text) == intended
    except tomllib.TOMLDecodeError:
        full = False
    if incremental:
        assert full, (how, splices)
    if how == "as is":
        assert incremental == full  # our own splices are proved without a full read


def test_patched_index_equals_a_fresh_scan(sample_file: Path) -> None:
    store = Store(sample_file)
    snap = store.load(data=False)
    for change in (edit.Append("acme", "incidents", INC),
                   edit.SetKeys("gecko", {"decided": datetime(2026, 1, 1)}, sub="offboarding"),
                   edit.Remove("bluebird", "incidents", 2),
                   edit.AddClient("zed", {"name": "Zed"})):
        snap = store.apply(change, snap)
        fresh = scan(snap.text)
        for col in ("paths", "aot", "starts", "lines", "ends", "others"):
            assert getattr(snap.index, col) == getattr(fresh, col), col
        for cid in ("acme", "gecko", "bluebird", "zed"):
            assert snap.index.client_headers(cid) == fresh.client_headers(cid)


def test_a_client_read_alone_is_what_the_whole_file_says(sample_file: Path) -> None:
    snap = Store(sample_file).load(data=False)
    whole = tomllib.loads(sample_file.read_text())["clients"]
    for cid in whole:
        got = read_blocks(snap.text, snap.index, snap.index.client_headers(cid))
        assert got["clients"][cid] == whole[cid]


def test_cache_is_never_trusted_over_the_file(sample_file: Path) -> None:
    """Same size and modification time, other content: the file is read, not the cache."""
    store = Store(sample_file)
    store.remember(store.load())
    st = sample_file.stat()
    text = sample_file.read_text().replace('name = "Gecko Labs"', 'name = "Gecko Labz"')
    sample_file.write_text(text)
    os.utime(sample_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert Store(sample_file).load().data.clients["gecko"].name == "Gecko Labz"


def test_broken_cache_entries_are_ignored(sample_file: Path) -> None:
    store = Store(sample_file)
    snap = store.load()
    store.remember(snap)
    for entry in Path(store.cache.folder).iterdir():
        entry.write_bytes(b"not a cache entry")
    assert Store(sample_file).load().data.clients.keys() == snap.data.clients.keys()


def test_journal_brings_the_cached_model_up_to_date(sample_file: Path) -> None:
    """The app caches its model; a later `log` notes its change; the next start is warm
    and right."""
    store = Store(sample_file)
    store.remember(store.load())
    for note in ("one", "two"):
        Store(sample_file).apply(edit.Append("acme", "incidents", {**INC, "note": note}))
    warm = Store(sample_file).load()
    assert warm.cached is False          # came from the cache plus the journal
    os.environ["CLIENTFIT_NO_CACHE"] = "1"
    try:
        cold = Store(sample_file).load()
    finally:
        del os.environ["CLIENTFIT_NO_CACHE"]
    assert [i.note for i in warm.data.clients["acme"].incidents] == \
        [i.note for i in cold.data.clients["acme"].incidents]
    assert warm.data.clients["acme"].incidents[-1].note == "two"


def test_two_sessions_and_the_command_line_lose_nothing(sample_file: Path) -> None:
    a, b = Session(Store(sample_file)), Session(Store(sample_file))
    a.load()
    b.load()
    for i in range(5):
        a.apply(edit.Append("acme", "incidents", {**INC, "note": f"a{i}"}), "a")
        b.apply(edit.Append("acme", "incidents", {**INC, "note": f"b{i}"}), "b")
        Store(sample_file).apply(edit.Append("acme", "incidents", {**INC, "note": f"c{i}"}))
    notes = [i.get("note") for i in tomllib.loads(sample_file.read_text())["clients"]["acme"]
             ["incidents"]]
    for who in "abc":
        assert [n for n in notes if n and n[0] == who and n[1:].isdigit()] == [
            f"{who}{i}" for i in range(5)]


@pytest.mark.parametrize("size", [("S", 20, 500)])
def test_generated_files_are_valid(tmp_path: Path, size: tuple[str, int, int]) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from gen import generate

    p = tmp_path / "g.toml"
    p.write_text(generate(size[1], size[2]))
    snap = Store(p).load()
    assert sum(len(c.incidents) for c in snap.data.clients.values()) == size[2]
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
