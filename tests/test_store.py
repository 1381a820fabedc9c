"""The store: writes change only what they must, and never lose or corrupt data."""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from clientfit_tui.session import Session
from clientfit_tui.store import edit
from clientfit_tui.store.store import InvalidFile, Store, StoreError
from clientfit_tui.store.write import Writer

INC = {"at": datetime(2026, 11, 27, 9, 30), "kind": "other", "severity": 2, "note": "call"}


def write(p: Path, text: str, newline: str = "\n") -> Path:
    p.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return p


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added) between two texts."""
    a, b = before.split("\n"), after.split("\n")
    a = [x + "\n" for x in a[:-1]] + a[-1:]
    b = [x + "\n" for x in b[:-1]] + b[-1:]
    removed, added = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            removed += a[i1:i2]
        if op in ("replace", "insert"):
            added += b[j1:j2]
    return removed, added


def test_append_keeps_every_other_byte(sample_file: Path) -> None:
    """A logged incident adds lines; every existing line, comment and blank stays."""
    before = sample_file.read_text()
    store = Store(sample_file)
    store.apply(edit.Append("acme", "incidents", INC), store.load())
    after = sample_file.read_text()
    removed, added = changed_lines(before, after)
    assert removed == []
    assert "[[clients.acme.incidents]]\n" in added
    data = tomllib.loads(after)
    assert data["clients"]["acme"]["incidents"][-1] == INC


def test_new_incident_sits_with_its_client(sample_file: Path) -> None:
    store = Store(sample_file)
    store.apply(edit.Append("bluebird", "incidents", INC), store.load())
    text = sample_file.read_text()
    new = text.index('note = "call"')
    assert text.rindex("[[clients.bluebird.incidents]]", 0, new) > text.index("[clients.bluebird]")
    assert new < text.index("[[clients.bluebird.invoices]]")


def test_set_value_changes_one_line_and_keeps_its_comment(sample_file: Path) -> None:
    before = sample_file.read_text()
    store = Store(sample_file)
    store.apply(edit.SetKeys("acme", {"status": "offboarding"}), store.load())
    removed, added = changed_lines(before, sample_file.read_text())
    assert removed == ['status = "watch"            # active | watch | offboarding | ended\n']
    assert added == ['status = "offboarding"            # active | watch | offboarding | ended\n']


def test_crlf_file_stays_crlf(tmp_path: Path) -> None:
    """A CRLF file gets CRLF lines, by the fast path and by the fallback alike."""
    p = write(tmp_path / "c.toml", '# mine\n[clients.a]\nname = "A"\n\n[clients.b]\n'
              'name = "B"\nincidents = [{ at = 2026-01-01, kind = "other" }]\n', "\r\n")
    store = Store(p)
    snap = store.apply(edit.Append("a", "incidents", INC), store.load())
    store.apply(edit.Append("b", "incidents", INC), snap)  # static array: the tomlkit fallback
    raw = p.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert len(tomllib.loads(raw.decode())["clients"]["b"]["incidents"]) == 2


def test_split_array_of_tables_gets_the_item_in_order(tmp_path: Path) -> None:
    """tomlkit drops items appended to a split array of tables; the store must not."""
    p = write(tmp_path / "c.toml", """[clients.a]
name = "A"
[[clients.a.incidents]]
at = 2026-01-01
kind = "other"
[clients.b]
name = "B"
[[clients.a.incidents]]
at = 2026-01-02
kind = "other"
[[clients.b.incidents]]
at = 2026-01-03
kind = "other"
""")
    store = Store(p)
    store.apply(edit.Append("a", "incidents", INC), store.load())
    data = tomllib.loads(p.read_text())
    assert [i["at"] for i in data["clients"]["a"]["incidents"]] == [
        date(2026, 1, 1), date(2026, 1, 2), INC["at"]]
    assert len(data["clients"]["b"]["incidents"]) == 1


@pytest.mark.parametrize("text", [
    # dotted keys
    '[clients]\nacme.name = "A"\nacme.status = "watch"\n',
    'clients.acme.name = "A"\n',
    # inline tables and static arrays
    'clients = { acme = { name = "A", incidents = [] } }\n',
    '[clients.acme]\nname = "A"\nincidents = [\n  { at = 2026-01-01, kind = "other" },\n]\n',
])
def test_other_shapes_are_written_right_or_refused(tmp_path: Path, text: str) -> None:
    """Any shape TOML allows is read; a write is verified, or refused with the file intact."""
    p = write(tmp_path / "c.toml", text)
    store = Store(p)
    snap = store.load()
    try:
        store.apply(edit.Append("acme", "incidents", INC), snap)
    except StoreError as e:
        assert "unchanged" in str(e)
        assert p.read_text() == text
        return
    data = tomllib.loads(p.read_text())
    assert data["clients"]["acme"]["incidents"][-1] == INC
    assert data["clients"]["acme"]["name"] == "A"


def test_unknown_keys_and_tables_survive(tmp_path: Path) -> None:
    text = ('mine = 1\n[clients.acme]\nname = "A"\nfavourite_colour = "teal"\n'
            '[clients.acme.extra]\nx = [1, 2]\n[plugins.foo]\nbar = true\n')
    p = write(tmp_path / "c.toml", text)
    store = Store(p)
    store.apply(edit.Append("acme", "incidents", INC), store.load())
    data = tomllib.loads(p.read_text())
    assert data["mine"] == 1 and data["plugins"] == {"foo": {"bar": True}}
    assert data["clients"]["acme"]["extra"] == {"x": [1, 2]}
    assert changed_lines(text, p.read_text())[0] == []


def test_write_through_symlink_keeps_link_and_mode(tmp_path: Path, sample_file: Path) -> None:
    os.chmod(sample_file, 0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(sample_file)
    store = Store(link)
    store.apply(edit.Append("acme", "incidents", INC), store.load())
    assert link.is_symlink()
    assert stat.S_IMODE(sample_file.stat().st_mode) == 0o640
    assert 'note = "call"' in sample_file.read_text()


def test_create_is_private(tmp_path: Path) -> None:
    p = tmp_path / "new" / "dir" / "clients.toml"
    Store(p).create("[settings]\n")
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(p.parent.stat().st_mode) == 0o700


def test_external_change_is_kept_and_the_edit_reapplied(sample_file: Path) -> None:
    """An edit made after someone else changed the file lands on their version."""
    store = Store(sample_file)
    snap = store.load()
    text = sample_file.read_text().replace('name = "Gecko Labs"', 'name = "Gecko Labs Ltd"')
    sample_file.write_text(text + '\n[clients.newbie]\nname = "Newbie"\n')
    store.apply(edit.Append("acme", "incidents", INC), snap)
    data = tomllib.loads(sample_file.read_text())
    assert data["clients"]["gecko"]["name"] == "Gecko Labs Ltd"
    assert data["clients"]["newbie"]["name"] == "Newbie"
    assert data["clients"]["acme"]["incidents"][-1] == INC


def test_invalid_file_on_disk_is_never_written(sample_file: Path) -> None:
    store = Store(sample_file)
    snap = store.load()
    broken = sample_file.read_text().replace('status = "watch"  ', 'status = "maybe"  ', 1)
    sample_file.write_text(broken)
    with pytest.raises(InvalidFile) as e:
        store.apply(edit.Append("acme", "incidents", INC), snap)
    assert "status" in e.value.lines[0]
    assert sample_file.read_text() == broken


def test_a_text_that_reads_back_wrong_is_refused(sample_file: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-back check is real: a faulty edit engine cannot write."""
    before = sample_file.read_bytes()
    monkeypatch.setattr(edit, "apply_splices", lambda text, splices: text + "\nsneaky = 1\n")
    monkeypatch.setattr(edit.Append, "tail", lambda self, block, nl, at_end: (0, "sneaky = 1\n"))
    monkeypatch.setattr(Writer, "tomlkit_text", lambda self, snap, change: snap.text + "x = 1\n")
    store = Store(sample_file)
    with pytest.raises(StoreError, match="read back"):
        store.apply(edit.Append("acme", "incidents", INC), store.load())
    assert sample_file.read_bytes() == before
    assert not [n for n in os.listdir(sample_file.parent) if n.endswith(".tmp")]


def test_an_edit_that_makes_bad_data_is_refused(sample_file: Path) -> None:
    before = sample_file.read_bytes()
    store = Store(sample_file)
    with pytest.raises(StoreError, match="invalid"):
        store.apply(edit.Append("acme", "incidents", {"at": "yesterday", "kind": "x"}),
                    store.load())
    assert sample_file.read_bytes() == before


def test_bom_is_kept(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_bytes(b'\xef\xbb\xbf[clients.a]\nname = "A"\n')
    store = Store(p)
    store.apply(edit.Append("a", "incidents", INC), store.load())
    assert p.read_bytes().startswith(b'\xef\xbb\xbf[clients.a]\nname = "A"\n')


def test_empty_file_is_valid_and_can_grow(tmp_path: Path) -> None:
    p = write(tmp_path / "c.toml", "")
    store = Store(p)
    snap = store.load()
    assert snap.data.clients == {}
    store.apply(edit.AddClient("acme", {"name": "ACME"}), snap)
    assert tomllib.loads(p.read_text()) == {"clients": {"acme": {"name": "ACME"}}}


def test_undo_restores_the_exact_bytes(sample_file: Path) -> None:
    """Each change undone in turn gives back the file as it was, byte for byte."""
    before = sample_file.read_bytes()
    s = Session(Store(sample_file))
    s.load()
    s.apply(edit.Append("acme", "incidents", INC), "log")
    s.apply(edit.SetKeys("acme", {"status": "offboarding", "regular": False}), "status")
    s.apply(edit.SetKeys("gecko", {"decided": datetime(2026, 11, 27, 9)}, sub="offboarding"),
            "decide")
    old = s.snap.raw["clients"]["bluebird"]["incidents"][3]  # type: ignore[union-attr]
    s.apply(edit.Remove("bluebird", "incidents", 3, expect=old), "delete")
    s.apply(edit.SetKeys("orbit", {"note": "changed", "minutes": 5}, sub="incidents", index=0,
                         expect=s.snap.raw["clients"]["orbit"]["incidents"][0]), "edit")  # type: ignore[union-attr]
    s.apply(edit.Append("lumen", "incidents", INC), "at end of file")
    assert sample_file.read_bytes() != before
    for _ in range(6):
        assert s.undo() is not None
    assert s.undo() is None
    assert sample_file.read_bytes() == before


def test_undo_of_a_removed_key_restores_the_data(sample_file: Path) -> None:
    before = tomllib.loads(sample_file.read_text())
    s = Session(Store(sample_file))
    s.load()
    s.apply(edit.SetKeys("acme", {"contact": edit.DELETE, "email": "x@y.example"}), "edit")
    s.undo()
    assert tomllib.loads(sample_file.read_text()) == before


def test_undo_after_an_external_change_keeps_that_change(sample_file: Path) -> None:
    s = Session(Store(sample_file))
    s.load()
    s.apply(edit.Append("acme", "incidents", INC), "log")
    sample_file.write_text(sample_file.read_text() + '\n[clients.zed]\nname = "Zed"\n')
    s.undo()
    data = tomllib.loads(sample_file.read_text())
    assert "zed" in data["clients"]
    assert data["clients"]["acme"]["incidents"][-1] != INC


def test_leftover_temp_files_are_cleaned(sample_file: Path) -> None:
    junk = sample_file.parent / f".{sample_file.name}.clientfit-123.tmp"
    junk.write_text("half a file")
    store = Store(sample_file)
    store.apply(edit.Append("acme", "incidents", INC), store.load())
    assert not junk.exists()


def test_missing_and_unreadable_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such file"):
        Store(tmp_path / "nope.toml").load()
    with pytest.raises(StoreError, match="folder"):
        Store(tmp_path).load()
