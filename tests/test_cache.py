"""The cache is never trusted unchecked: entries name the fields of what they hold, carry
a checksum of their own bytes, and what a quick write builds on is checked against the
file; a damaged entry is a miss, never a wrong write and never a traceback."""

from __future__ import annotations

import marshal
import os
import random
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from clientfit_tui.domain import model
from clientfit_tui.domain.model import Data
from clientfit_tui.store import cache as cache_mod, edit
from clientfit_tui.store.cache import sealed
from clientfit_tui.store.files import digest
from clientfit_tui.store.fingerprint import fields, fingerprint, model_types
from clientfit_tui.store.scan import Index
from clientfit_tui.store.store import Store

ITEM = {"at": datetime(2026, 11, 26, 21, 5), "kind": "after-hours", "severity": 2,
        "minutes": 10.0, "note": "late call"}


def _log(p: Path, item: dict[str, Any] = ITEM) -> None:
    """What `clientfit log acme ...` does to the file."""
    Store(p).edit(lambda snap: edit.Append("acme", "incidents", dict(item)))


def _warm(p: Path) -> None:
    """A cache with every kind of entry: index, text, steps, data, journal."""
    store = Store(p)
    store.remember(store.load())
    _log(p, {**ITEM, "note": "first"})
    _log(p, {**ITEM, "note": "second"})


def _entries() -> dict[str, bytes]:
    folder = Path(cache_mod.folder())
    return {f.name: f.read_bytes() for f in folder.iterdir() if not f.name.endswith(".tmp")}


def _restore(entries: dict[str, bytes]) -> None:
    folder = Path(cache_mod.folder())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, blob in entries.items():
        (folder / name).write_bytes(blob)


def _without_cache(monkeypatch: pytest.MonkeyPatch, p: Path, before: bytes) -> tuple[bytes, Any]:
    """What CLIENTFIT_NO_CACHE=1 writes after a `log`, and the model before it, read whole."""
    with monkeypatch.context() as m:
        m.setenv("CLIENTFIT_NO_CACHE", "1")
        p.write_bytes(before)
        data = _model(p)
        _log(p)
        return p.read_bytes(), data


def _model(p: Path) -> Any:
    """What the app reads: every client, and the settings."""
    data = Store(p).load().data
    return data.clients, [getattr(data.settings, k) for k in model.Settings.__slots__]


# -- the fingerprint of the cached types ----------------------------------------------


def test_fields_are_read_from_each_kind_of_type() -> None:
    assert fields(model.Incident)[:3] == ("at", "kind", "severity")
    assert "timezone" in fields(model.Settings)  # __slots__
    assert fields(Index) == Index.CACHED_FIELDS
    assert len({fingerprint((t,)) for t in model_types()}) == len(model_types())


def test_a_changed_model_field_makes_old_entries_misses(sample_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(sample_file)
    snap = store.load()
    store.remember(snap)
    d = snap.stamp.digest
    assert Store(sample_file).cache.data(d, Data)[0] is not None  # a hit, as it stands

    class Incident(NamedTuple):  # the same type with two fields swapped
        at: Any
        severity: int
        kind: str
        minutes: float
        note: str
        index: int  # type: ignore[assignment]
        instant: datetime = datetime.min

    Incident.__module__ = model.Incident.__module__
    Incident.__qualname__ = model.Incident.__qualname__
    with monkeypatch.context() as m:
        m.setattr(model, "Incident", Incident)
        assert Store(sample_file).cache.data(d, Data) == (None, 0)
    assert Store(sample_file).cache.data(d, Data)[0] is not None


def test_a_changed_index_layout_makes_old_entries_misses(sample_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    snap = Store(sample_file).load(data=False)
    d = snap.stamp.digest
    assert Store(sample_file).cache.index(d) is not None
    swapped = list(Index.CACHED_FIELDS)
    swapped[2], swapped[3] = swapped[3], swapped[2]  # starts and lines
    monkeypatch.setattr(Index, "CACHED_FIELDS", tuple(swapped))
    assert Store(sample_file).cache.index(d) is None


# -- damaged entries -------------------------------------------------------------------


@pytest.mark.parametrize("hand_edit", [False, True], ids=["as written", "edited by hand"])
def test_flipped_bits_in_any_entry_never_change_what_is_written(
        sample_file: Path, monkeypatch: pytest.MonkeyPatch, hand_edit: bool) -> None:
    """A bit flipped anywhere in any entry: `log` writes exactly what it writes without a
    cache, and the model read is the one a whole read gives."""
    _warm(sample_file)
    if hand_edit:  # read against the last known version: text, index, steps
        text = sample_file.read_text()
        sample_file.write_text(text.replace('name = "ACME Corp"', 'name = "ACME Inc"'))
    before = sample_file.read_bytes()
    want, want_data = _without_cache(monkeypatch, sample_file, before)
    entries = _entries()
    kinds = sorted(entries)
    assert {n.rsplit(".", 1)[1] for n in kinds} >= {"index", "text", "steps", "data", "journal"}
    rng = random.Random(11)
    for run in range(150):
        name = kinds[run % len(kinds)]
        blob = bytearray(entries[name])
        for _ in range(rng.choice((1, 1, 2, 8))):
            bit = rng.randrange(len(blob) * 8)
            blob[bit // 8] ^= 1 << (bit % 8)
        _restore({**entries, name: bytes(blob)})
        sample_file.write_bytes(before)
        assert _model(sample_file) == want_data, (name, run)
        sample_file.write_bytes(before)
        _log(sample_file)
        assert sample_file.read_bytes() == want, (name, run)


def _reseal_index(mutate: Any) -> None:
    """Change what the `.index` entry says, keeping it well-formed (and its checksum right)."""
    path = Path(cache_mod.folder())
    entry = next(path.glob("*.index"))
    blob = entry.read_bytes()[:-4]
    head = blob.find(b"\n", len(b"clientfit-index\n")) + 1
    v, columns, latest = marshal.loads(blob[head:])
    index = Index.from_columns(columns)
    mutate(index, latest)
    entry.write_bytes(sealed(blob[:head] + marshal.dumps((v, index.columns(), latest), 4)))


def _reseal_steps(mutate: Any) -> None:
    path = Path(cache_mod.folder())
    entry = next(path.glob("*.steps"))
    blob = entry.read_bytes()
    out = b""
    i = 0
    while i < len(blob):
        n = int.from_bytes(blob[i : i + 4], "big")
        v, before, after, step = marshal.loads(blob[i + 8 : i + 8 + n])
        body = marshal.dumps((v, before, after, tuple(mutate(list(step)))), 4)
        out += cache_mod._record(body)
        i += 8 + n
    entry.write_bytes(out)


def test_well_formed_but_wrong_offsets_are_misses(sample_file: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose checksum is right but whose offsets or lengths are not (a damage
    the checksum cannot see): what the quick path builds on is checked against the file."""
    _warm(sample_file)
    before = sample_file.read_bytes()
    want, _ = _without_cache(monkeypatch, sample_file, before)
    entries = _entries()
    rng = random.Random(5)

    def shift_starts(index: Index, latest: dict[str, Any]) -> None:
        k = rng.randrange(len(index))
        by = rng.choice((-40, -7, -1, 1, 3, 25, 90))
        starts = index.starts
        for j in range(k, len(index)) if rng.random() < 0.5 else (k,):
            starts[j] = max(0, starts[j] + by)

    def change_length(index: Index, latest: dict[str, Any]) -> None:
        index.length += rng.choice((-30, -1, 1, 2, 100))

    def shift_step(step: list[Any]) -> list[Any]:
        step[0] += rng.choice((-60, -13, -1, 1, 9, 40))
        return step

    for run in range(90):
        _restore(entries)
        sample_file.write_bytes(before)
        how = run % 3
        if how == 0:
            _reseal_index(shift_starts)
        elif how == 1:
            _reseal_index(change_length)
        else:
            _reseal_steps(shift_step)
        _log(sample_file)
        assert sample_file.read_bytes() == want, (how, run)
    assert os.path.exists(sample_file)


def test_the_index_entry_of_a_log_is_checked_against_the_file(sample_file: Path) -> None:
    """Sanity: with an intact cache the quick path is taken (the steps grow)."""
    _warm(sample_file)
    snap = Store(sample_file).load(data=False)
    assert snap.steps == 2
    assert digest(sample_file.read_bytes()) == snap.stamp.digest


def test_clientfit_log_on_damaged_entries_writes_what_it_writes_without_a_cache(
        sample_file: Path) -> None:
    """The command as a person runs it (its early read included), one damaged entry of
    each kind at a time."""
    from test_cli import run

    args = ("--file", str(sample_file), "log", "acme", "late call", "--at", "2026-11-26 21:05")
    _warm(sample_file)
    before = sample_file.read_bytes()
    assert run(*args, env={"CLIENTFIT_NO_CACHE": "1"}).returncode == 0
    want = sample_file.read_bytes()
    entries = _entries()
    rng = random.Random(3)
    for name in sorted(entries):
        blob = bytearray(entries[name])
        bit = rng.randrange(len(blob) * 8)
        blob[bit // 8] ^= 1 << (bit % 8)
        _restore({**entries, name: bytes(blob)})
        sample_file.write_bytes(before)
        r = run(*args)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (name, r.stderr)
        assert sample_file.read_bytes() == want, name
