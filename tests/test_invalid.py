"""A corpus of broken files: each gives `path:line:col: message`, exit 1, and no write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientfit_tui.store import edit
from clientfit_tui.store.store import InvalidFile, Store

OK = '[clients.acme]\nname = "A"\n'
INC = '[[clients.acme.incidents]]\n'

# (name, file bytes, expected "line:col", a fragment of the message)
CORPUS: list[tuple[str, bytes, str, str]] = [
    ("syntax", b'[clients.acme\nname = "A"\n', "1:14", "expected ']'"),
    ("bad utf-8", b'[clients.acme]\nname = "A\xff"\n', "2:10", "not valid UTF-8"),
    ("lone CR", b'[clients.acme]\rname = "A"\n', "1:15", "expected newline"),
    ("NUL byte", b'[clients.acme]\nname = "A\x00"\n', "2:10", "illegal character"),
    ("deep nesting", b"x = " + b"[" * 150 + b"]" * 150 + b"\n", "1:1", "nested too deeply"),
    ("deep tables", b"[" + b".".join([b"a"] * 150) + b"]\n", "1:1", "nested too deeply"),
    ("deep inline", b"x = " + b"{a = " * 40 + b"1" + b"}" * 40 + b"\n", "1:1", "nested too deeply"),
    ("duplicate key", (OK + 'name = "B"\n').encode(), "3:", "cannot overwrite"),
    ("duplicate table", (OK + '[clients.acme]\nemail = "x"\n').encode(), "3:", "cannot declare"),
    ("TOML 1.1 newline in inline table",
     b'[clients.acme]\nname = "A"\nx = {\n  a = 1 }\n', "3:6", ""),
    ("TOML 1.1 time without seconds", (OK + INC + 'at = 2026-11-20T23:14\nkind = "other"\n').encode(),
     "4:", ""),
    ("TOML 1.1 \\e escape", b'[clients.acme]\nname = "\\e[31m"\n', "2:", ""),
    ("February 30th", (OK + INC + 'at = 2026-02-30\nkind = "other"\n').encode(), "4:", ""),
    ("at is a string", (OK + INC + 'at = "yesterday"\nkind = "other"\n').encode(), "4:1",
     "'at' must be a date or date-time"),
    ("missing at", (OK + INC + 'kind = "other"\n').encode(), "3:1", "missing required key 'at'"),
    ("missing kind", (OK + INC + 'at = 2026-11-20\n').encode(), "3:1",
     "missing required key 'kind'"),
    ("unknown kind", (OK + INC + 'at = 2026-11-20\nkind = "rude"\n').encode(), "5:1", "'kind'"),
    ("severity 0", (OK + INC + 'at = 2026-11-20\nkind = "other"\nseverity = 0\n').encode(), "6:1",
     "'severity' must be from 1 to 3"),
    ("severity 2.0", (OK + INC + 'at = 2026-11-20\nkind = "other"\nseverity = 2.0\n').encode(),
     "6:1", "whole number"),
    ("severity true", (OK + INC + 'at = 2026-11-20\nkind = "other"\nseverity = true\n').encode(),
     "6:1", "whole number"),
    ("negative minutes", (OK + INC + 'at = 2026-11-20\nkind = "other"\nminutes = -5\n').encode(),
     "6:1", "'minutes' must be 0 or more"),
    ("missing name", b"[clients.acme]\nemail = 'x'\n", "1:1", "missing required key 'name'"),
    ("empty name", b'[clients.acme]\nname = "  "\n', "2:1", "must not be empty"),
    ("name is a number", b"[clients.acme]\nname = 42\n", "2:1", "'name' must be a string"),
    ("bad id", b'[clients.Acme_Corp]\nname = "A"\n', "1:1", "a-z, 0-9 and '-'"),
    ("bad status", b'[clients.acme]\nname = "A"\nstatus = "fired"\n', "3:1", "'status'"),
    ("revenue negative", b'[clients.acme]\nname = "A"\nrevenue = -1.0\n', "3:1", "0 or more"),
    ("revenue nan", b'[clients.acme]\nname = "A"\nrevenue = nan\n', "3:1", "finite"),
    ("since as text", b'[clients.acme]\nname = "A"\nsince = "2024"\n', "3:1", "'since' must be a date"),
    ("regular as text", b'[clients.acme]\nname = "A"\nregular = "yes"\n', "3:1", "true or false"),
    ("incidents not array", b'[clients.acme]\nname = "A"\nincidents = 3\n', "3:1", "array"),
    ("incident not table", b'[clients.acme]\nname = "A"\nincidents = [1]\n', "3:1", "table"),
    ("clients not table", b'clients = 3\n', "1:1", "expected a table"),
    ("client not table", b'[clients]\nacme = "x"\n', "2:1", "expected a table"),
    ("invoice without amount", (OK + '[[clients.acme.invoices]]\ndue = 2026-01-01\n').encode(),
     "3:1", "missing required key 'amount'"),
    ("invoice due datetime-string", (OK + '[[clients.acme.invoices]]\namount = 5.0\ndue = "soon"\n'
                                     ).encode(), "5:1", "'due' must be a date"),
    ("review outcome", (OK + '[[clients.acme.reviews]]\nat = 2026-01-01\noutcome = "maybe"\n').encode(),
     "5:1", "'outcome'"),
    ("review revisit as text",
     (OK + '[[clients.acme.reviews]]\nat = 2026-01-01\nrevisit = "in March"\n').encode(),
     "5:1", "'revisit' must be a date"),
    ("meeting by email", (OK + '[clients.acme.offboarding]\nmeeting = "email"\n').encode(), "4:1",
     "not by email"),
    ("cooling off negative", b"[settings]\ncooling_off_days = -1\n", "2:1", "from 0 to 365"),
    ("cooling off huge", b"[settings]\ncooling_off_days = 10000\n", "2:1", "from 0 to 365"),
    ("bad timezone", b'[settings]\ntimezone = "Mars/Olympus"\n', "2:1", "unknown time zone"),
    ("bad work hours", b'[settings]\nwork_hours = "9-5"\n', "2:1", "09:00-18:00"),
    ("bad work day", b'[settings]\nwork_days = ["mon", "funday"]\n', "2:1", "unknown day"),
    ("bad notice", b'[settings]\nnotice = "a while"\n', "2:1", "not a period"),
    ("instinct zero", b"[settings]\ninstinct = { reviews = 0, within_days = 90 }\n", "2:1",
     "'reviews' must be from 1"),
    ("dotted key error", b'[clients]\nacme.name = "A"\nacme.status = "x"\n', "3:1", "'status'"),
    ("inline error", b'clients = { acme = { name = "A", status = "x" } }\n', "1:1", "'status'"),
    ("indented key", b'[clients.acme]\n  name = "A"\n  status = "x"\n', "3:3", "'status'"),
]


@pytest.mark.parametrize(("name", "content", "where", "message"), CORPUS,
                         ids=[c[0] for c in CORPUS])
def test_corpus_loader(tmp_path: Path, name: str, content: bytes, where: str,
                       message: str) -> None:
    p = tmp_path / "c.toml"
    p.write_bytes(content)
    with pytest.raises(InvalidFile) as e:
        Store(p).load()
    first = e.value.lines[0]
    assert first.startswith(f"{p}:{where}"), first
    assert message in first
    assert "\n" not in first


@pytest.mark.parametrize(("name", "content", "where", "message"), CORPUS[:12],
                         ids=[c[0] for c in CORPUS[:12]])
def test_corpus_cli(tmp_path: Path, name: str, content: bytes, where: str, message: str) -> None:
    """check and log: exit 1, one line a problem, no traceback, the file untouched."""
    p = tmp_path / "c.toml"
    p.write_bytes(content)
    for cmd in (["check"], ["log", "acme", "x"]):
        r = subprocess.run([sys.executable, "-m", "clientfit_tui", "--file", str(p), *cmd],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1
        assert r.stderr.startswith(f"{p}:{where}")
        assert "Traceback" not in r.stderr
        assert p.read_bytes() == content
    assert sorted(os.listdir(tmp_path)) in (["c.toml"], [".c.toml.lock", "c.toml"])


def test_garbage_megabytes(tmp_path: Path) -> None:
    """10 MB of noise is refused quickly, in one line."""
    p = tmp_path / "c.toml"
    content = os.urandom(10 * 1024 * 1024)
    p.write_bytes(content)
    with pytest.raises(InvalidFile) as e:
        Store(p).load()
    assert e.value.lines[0].startswith(f"{p}:")
    assert p.read_bytes() == content


def test_an_invalid_file_is_never_written(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    content = b'[clients.acme]\nname = "A"\nstatus = "fired"\n'
    p.write_bytes(content)
    with pytest.raises(InvalidFile):
        Store(p).apply(edit.Append("acme", "incidents", {"at": __import__("datetime").date(2026, 1, 1),
                                                          "kind": "other"}))
    assert p.read_bytes() == content


def test_every_problem_is_listed(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[settings]\ncooling_off_days = -1\n[clients.acme]\nname = 1\nstatus = "x"\n')
    with pytest.raises(InvalidFile) as e:
        Store(p).load()
    assert [line.split(": ")[0] for line in e.value.lines] == [f"{p}:2:1", f"{p}:4:1", f"{p}:5:1"]
