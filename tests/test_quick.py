"""The quick path of `log`: the tail check is sound, the lazy index and the cache's steps
agree with a fresh read, and the early read never edits bytes it did not lock."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.cli.args import log_target, quick_log
from clientfit_tui.store import edit
from clientfit_tui.store.files import EarlyRead, digest, lock_path
from clientfit_tui.store.scan import Index, scan
from clientfit_tui.store.store import Store
from clientfit_tui.store.verify import tail_verified
from test_props import clients, incident, render, styles

INC = {"at": datetime(2026, 11, 27, 9, 30), "kind": "other", "note": "quick"}
NOW = "2026-11-27T10:00:00"


def _tail_case(snap: Any, cid: str, item: dict[str, Any]) -> tuple[str, int, int, str] | None:
    """The array's last element (its block's text and start), where the new one goes and
    its text; None when the array is not all `[[...]]` headers."""
    index = snap.index
    path = ("clients", cid, "incidents")
    elements = [i for i in index.client_headers(cid) if index.paths[i][:3] == path]
    if not elements or any(index.paths[i] != path for i in elements):
        return None
    start, end = index.block_bounds(elements[-1])
    block = snap.text[start:end]
    offset, new = edit.Append(cid, "incidents", item).tail(block, snap.nl,
                                                            at_end=end == len(snap.text))
    return block, start, start + offset, new


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=clients, style=styles, steps=st.data())
def test_tail_check_never_accepts_what_a_full_read_refuses(
        tmp_path: Path, data: dict[str, Any], style: dict[str, bool], steps: st.DataObject) -> None:
    """Soundness of `tail_verified`: moved, corrupted or foreign blocks pass only when the
    whole new text reads as the old data with the item appended; its own always pass."""
    style = {**style, "dotted": False, "inline": False}  # arrays of tables, in blocks
    cid = steps.draw(st.sampled_from(sorted(data)))
    data[cid] = {**data[cid], "incidents": data[cid].get("incidents") or [steps.draw(incident)]}
    p = tmp_path / "c.toml"
    text = render(data, style)
    if steps.draw(st.booleans()):  # no blank line between blocks
        text = text.replace("\r\n\r\n", "\r\n").replace("\n\n", "\n")
    p.write_text(text, newline="")
    snap = Store(p).load(data=False)
    assert snap.exact
    item = steps.draw(incident)
    case = _tail_case(snap, cid, item)
    if case is None:
        return
    block, start, at, new = case
    how = steps.draw(st.sampled_from(["as is", "moved", "corrupted", "other array", "no nl"]))
    if how == "moved":
        starts = [0, *[i + 1 for i, c in enumerate(snap.text) if c == "\n"]]
        at = steps.draw(st.sampled_from(starts))
    elif how == "corrupted":
        k = steps.draw(st.integers(0, len(new) - 1))
        new = new[:k] + steps.draw(st.sampled_from(["x", "1", "\n", "#", '"', "["])) + new[k + 1:]
    elif how == "other array":
        new = new.replace(".incidents]]", ".invoices]]")
    elif how == "no nl":
        new = new.rstrip("\r\n")
    ok = tail_verified(block, start, len(snap.text), at, new, ("clients", cid, "incidents"),
                       item)
    text = snap.text[:at] + new + snap.text[at:]
    want = edit.Append(cid, "incidents", item).apply(snap.raw)
    try:
        full = tomllib.loads(text) == want
    except tomllib.TOMLDecodeError:
        full = False
    if ok:
        assert full, (how, at, new)
    if how == "as is":
        assert ok  # our own block, after the last element, is proved without a full read


@settings(max_examples=100, deadline=None)
@given(data=clients, style=styles, picks=st.lists(st.integers(0, 10 ** 6), max_size=12))
def test_lazy_insertions_equal_a_fresh_scan(data: dict[str, Any], style: dict[str, bool],
                                            picks: list[int]) -> None:
    """Insertions taken lazily (pending shifts), stored and loaded again halfway, give the
    index a fresh scan of the new text gives."""
    text = render(data, style)
    index = scan(text)
    for n, pick in enumerate(picks):
        k = pick % (len(index) + 1) - 1  # -1: the root block
        at = index.block_bounds(k)[1] if k >= 0 else index.block_bounds(0)[0] if len(index) \
            else len(text)
        if at and text[at - 1] != "\n":
            continue
        new = "\n[[clients.zz.incidents]]\nat = 2026-01-01\n" if pick % 3 else "# note\n"
        index = index.inserted(at, new, text.count("\n", 0, at), k + 1)
        text = text[:at] + new + text[at:]
        if n % 4 == 3:
            index = Index.from_columns(index.columns())
        fresh = scan(text)
        for i in range(len(fresh)):
            assert index.header(i) == fresh.header(i)
            assert index.block_bounds(i) == fresh.block_bounds(i)
        assert index.others == fresh.others and index.owners == fresh.owners
    fresh = scan(text)
    for col in ("paths", "aot", "starts", "lines", "ends", "others", "owners"):
        assert getattr(index, col) == getattr(fresh, col), col


def test_cache_steps_replay_to_the_index_of_the_file(sample_file: Path) -> None:
    """Logged insertions are cached as steps; a later read replays them and gets the index
    a fresh scan gives, and the latest incident the whole file gives."""
    store = Store(sample_file)
    store.load(data=False)
    for n in range(20):  # past the limit: the index is stored whole again on the way
        Store(sample_file).apply(edit.Append("acme", "incidents", {**INC, "note": f"n{n}"}))
    snap = Store(sample_file).load(data=False)
    fresh = scan(sample_file.read_text())
    for col in ("paths", "aot", "starts", "lines", "ends", "others", "owners"):
        assert getattr(snap.index, col) == getattr(fresh, col), col
    os.environ["CLIENTFIT_NO_CACHE"] = "1"
    try:
        whole = Store(sample_file).load()
    finally:
        del os.environ["CLIENTFIT_NO_CACHE"]
    for cid in whole.data.clients:
        assert snap.latest_incident(cid) == whole.latest_incident(cid)


def test_quick_append_writes_what_the_general_path_writes(tmp_path: Path,
                                                          sample_file: Path) -> None:
    """The quick path (cache warm) and the general path (no cache, every write read back
    whole) give the same bytes, CRLF and BOM files included."""
    raw = sample_file.read_bytes()
    # the last block of the sample is an incident of pixel-fox
    assert raw.rindex(b"[") == raw.rindex(b"[[clients.pixel-fox.incidents]]") + 1
    for variant in (raw, raw.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + raw,
                    raw.replace(b'name = "Acme', b'name = "\xc3\x81cme'), raw.rstrip(b"\n")):
        fast, slow = tmp_path / "fast.toml", tmp_path / "slow.toml"
        fast.write_bytes(variant)
        slow.write_bytes(variant)
        Store(fast).load(data=False)
        for n in range(4):
            cid = ("acme", "pixel-fox")[n % 2]  # in the middle of the file, and at its end
            quick = Store(fast).apply(edit.Append(cid, "incidents", {**INC, "note": f"é{n}"}))
            assert quick.steps > 0  # the quick path was taken
            os.environ["CLIENTFIT_NO_CACHE"] = "1"
            try:
                general = Store(slow)
                general.full_verify = True
                general.apply(edit.Append(cid, "incidents", {**INC, "note": f"é{n}"}))
            finally:
                del os.environ["CLIENTFIT_NO_CACHE"]
            assert fast.read_bytes() == slow.read_bytes()


def test_an_early_read_of_other_bytes_is_not_used(sample_file: Path) -> None:
    """Read early without the lock (another writer had it), then changed: the store
    reads the file again and hashes what it read."""
    store = Store(sample_file)
    fd = os.open(lock_path(store.target), os.O_RDWR | os.O_CREAT, 0o600)
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)
    early = EarlyRead(store.target, store.lock_path).wait()
    os.close(fd)  # the other writer is done
    assert early.lock_fd is None and early.file == sample_file.read_bytes()
    sample_file.write_text(sample_file.read_text() + "\n# changed after the early read\n")
    os.utime(sample_file, (0, 0))  # long settled
    store.early = early
    new = store.apply(edit.Append("acme", "incidents", INC))
    text = sample_file.read_text()
    assert "# changed after the early read" in text and 'note = "quick"' in text
    assert new.stamp.digest == digest(sample_file.read_bytes())


def test_the_early_lock_is_adopted_and_released(sample_file: Path) -> None:
    store = Store(sample_file)
    early = EarlyRead(store.target, store.lock_path).wait()
    assert early.lock_fd is not None
    store.early = early
    store.apply(edit.Append("acme", "incidents", INC))
    assert early.adopted and early.lock_fd is None
    with Store(sample_file).lock():  # released: another writer gets it at once
        pass


def test_log_target_only_for_an_actual_log(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    """The early read is for an actual `log` command line, whatever the file is named."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("CLIENTFIT_FILE", raising=False)

    def target(*argv: str) -> str | None:
        return log_target(quick_log(list(argv)))

    assert target("status") is None
    assert target("--file", "log") is None  # a data file named `log`: the app
    assert target("--file", "log", "status") is None
    assert target("status", "log") is None
    assert target("log", "a", "b") == os.path.realpath(tmp_path / "clientfit" / "clients.toml")
    assert target("--file", "x.toml", "log", "a", "b") == os.path.realpath("x.toml")
    assert target("--file=y.toml", "log", "a", "b") == os.path.realpath("y.toml")
    assert target("--file", "log", "log", "a", "b") == os.path.realpath("log")
    monkeypatch.setenv("CLIENTFIT_FILE", "z.toml")
    assert target("log", "a", "b") == os.path.realpath("z.toml")


def test_many_log_processes_at_once_lose_nothing(sample_file: Path) -> None:
    """Whole `clientfit log` processes (early lock and read included), three at a time."""
    env = {**os.environ, "CLIENTFIT_NOW": NOW}
    loop = ("import subprocess, sys\n"
            "for i in range(12):\n"
            "    subprocess.run([sys.executable, '-m', 'clientfit_tui', '--file', sys.argv[1],"
            " 'log', sys.argv[2], f'{sys.argv[2]}{i}', '--at', '-1d'], check=True,"
            " stdout=subprocess.DEVNULL)\n")
    procs = [subprocess.Popen([sys.executable, "-c", loop, str(sample_file), who], env=env,
                              stderr=subprocess.PIPE) for who in ("acme", "lumen", "gecko")]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read() if p.stderr else ""
    data = tomllib.loads(sample_file.read_text())["clients"]
    for who in ("acme", "lumen", "gecko"):
        notes = [i.get("note") for i in data[who]["incidents"]]
        assert [n for n in notes if n and n.startswith(who) and n[len(who):].isdigit()] == [
            f"{who}{i}" for i in range(12)]


def _hand_edit(text: str, draw: Any) -> str:
    """What a person does to the file in an editor: a line changed, deleted, copied or
    added, a comment at the end, a block copied, a new client."""
    lines = text.split("\n")
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    what = draw(st.sampled_from(["change", "delete", "copy", "comment", "block", "client",
                                 "break", "string"]))
    if what == "change":
        lines[i] = lines[i].replace("1", "2").replace("a", "b", 1)
    elif what == "delete":
        del lines[i]
    elif what == "copy":
        lines.insert(draw(st.integers(0, len(lines))), lines[i])
    elif what == "comment":
        return text + "# added by hand\n"
    elif what == "block":
        starts = [k for k, line in enumerate(lines) if line.startswith("[")]
        if starts:
            k = draw(st.sampled_from(starts))
            end = next((j for j in range(k + 1, len(lines)) if lines[j].startswith("[")),
                       len(lines))
            lines[end:end] = lines[k:end]
    elif what == "client":
        lines.insert(i, '[clients.zz-new]\nname = "New"\n')
    elif what == "string":  # a multi-line string opened here, closed further on
        lines.insert(draw(st.integers(i, len(lines))), '"""')
        lines.insert(i, 'note = """')
    else:
        lines[i] = lines[i] + ' = "'
    return "\n".join(lines)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=clients, style=styles, steps=st.data())
def test_reading_in_part_means_what_reading_whole_does(
        tmp_path: Path, data: dict[str, Any], style: dict[str, bool], steps: st.DataObject) -> None:
    """A file the app holds, edited by hand: read where it changed, it gives the data and
    the index a whole read gives, or it is not read in part (and a whole read decides)."""
    p = tmp_path / "c.toml"
    p.write_text(render(data, style), newline="")
    store = Store(p)
    old = store.load()
    how = steps.draw(st.sampled_from(["held", "warm", "known", "known with model"]))
    if how != "held":  # as the app holds it after a warm start: no raw data
        store.remember(old)
        old = Store(p).load()
        assert old._raw is None
    if how.startswith("known"):  # as `log` finds it: the last version, from the cache
        store.apply(edit.Append(sorted(data)[0], "incidents", INC))
        old = store.load(data=False)
    new_text = _hand_edit(old.text, steps.draw)
    p.write_text(new_text, newline="")
    b = p.read_bytes()
    if how.startswith("known"):
        part = store.read_since_known(b, None, digest(b), how == "known with model")
    else:
        part = store.read_in_part(old, b, None, digest(b))
    try:
        whole = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        whole = None
    if part is None:
        return
    assert whole is not None
    assert part.raw == whole and list(part.raw["clients"]) == list(whole["clients"])
    os.environ["CLIENTFIT_NO_CACHE"] = "1"
    try:
        full = Store(p).parse(b)
    finally:
        del os.environ["CLIENTFIT_NO_CACHE"]
    assert list(part.data.clients) == list(full.data.clients)
    assert part.data.clients == full.data.clients
    for cid in full.data.clients:
        assert part.latest_incident(cid) == full.latest_incident(cid)
    fresh = scan(new_text)
    for col in ("paths", "aot", "starts", "lines", "ends", "others", "owners"):
        assert getattr(part.index, col) == getattr(fresh, col), col


def test_an_edit_by_hand_is_read_in_part(sample_file: Path) -> None:
    """A value changed in one client: the app's reload reads that client alone."""
    store = Store(sample_file)
    old = store.load()
    text = sample_file.read_text().replace('name = "Gecko Labs"', 'name = "Gecko Lab"')
    sample_file.write_text(text)
    b = sample_file.read_bytes()
    part = store.read_in_part(old, b, None, digest(b))
    assert part is not None and part.data.clients["gecko"].name == "Gecko Lab"
    assert part.data.clients["acme"] is old.data.clients["acme"]  # not read again
    sample_file.write_text(text.replace("[settings]", "[settings]\n# a note"))
    b = sample_file.read_bytes()
    assert store.read_in_part(part, b, None, digest(b)) is None  # not a client: read whole


def test_a_log_after_an_edit_by_hand_reads_only_what_changed(
        sample_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edited by hand since clientfit last wrote it: `log` and a warm start read the new
    version against the last one (kept in the cache), not whole, and get it right."""
    Store(sample_file).apply(edit.Append("acme", "incidents", INC))
    store = Store(sample_file)
    store.remember(store.load())
    text = sample_file.read_text().replace('name = "Gecko Labs"', 'name = "Gecko Lab"')
    sample_file.write_text(text + "# a note by hand\n")
    os.utime(sample_file, (0, 0))  # long settled

    def whole(*a: object, **k: object) -> None:
        raise AssertionError("read whole")

    monkeypatch.setattr(Store, "parse", whole)
    logged = Store(sample_file).apply(edit.Append("lumen", "incidents", INC))
    loaded = Store(sample_file).load()
    monkeypatch.undo()
    os.environ["CLIENTFIT_NO_CACHE"] = "1"
    try:
        full = Store(sample_file).load()
    finally:
        del os.environ["CLIENTFIT_NO_CACHE"]
    assert loaded.data.clients == full.data.clients and loaded.data.clients["gecko"].name == \
        "Gecko Lab"
    assert logged.latest_incident("lumen") == full.latest_incident("lumen")
    assert sample_file.read_text().endswith("# a note by hand\n") or "# a note by hand" in \
        sample_file.read_text()
