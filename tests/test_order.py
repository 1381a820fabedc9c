"""The model the cache keeps lists clients in the order a whole read gives, after any edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientfit_tui.session import Session
from clientfit_tui.store import edit
from clientfit_tui.store.store import Store
from test_cli import run

TEXT = """\
[settings]
timezone = "UTC"

[[clients.beta.incidents]]
at = 2026-01-01T10:00:00
kind = "after-hours"
severity = 1

[clients.acme]
name = "ACME"

[clients.beta]
name = "Beta"

[[clients.beta.incidents]]
at = 2026-02-01T10:00:00
kind = "scope-creep"
severity = 2
"""

DOTTED = """\
[settings]
timezone = "UTC"

[clients]
beta.incidents = [{ at = 2026-01-01T10:00:00, kind = "after-hours", severity = 1 },
                  { at = 2026-02-01T10:00:00, kind = "scope-creep", severity = 2 }]
acme.name = "ACME"
beta.name = "Beta"
"""


def _status(p: Path, cached: bool) -> list[str]:
    r = run("--file", str(p), "status", "--json", env={} if cached else {"CLIENTFIT_NO_CACHE": "1"})
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    clients = got["clients"] if isinstance(got, dict) else got
    return [c["id"] for c in clients]


@pytest.mark.parametrize("text", [TEXT, DOTTED], ids=["headers", "dotted"])
def test_deleting_the_incident_before_a_clients_table_keeps_the_order(tmp_path: Path,
                                                                     text: str) -> None:
    p = tmp_path / "clients.toml"
    p.write_text(text)
    session = Session(Store(p))
    session.load()
    session.remember()
    assert list(session.snap.data.clients) == ["beta", "acme"]  # type: ignore[union-attr]
    session.apply(edit.Remove("beta", "incidents", 0), "delete")
    whole = list(Store(p).parse(p.read_bytes()).data.clients)
    assert list(session.snap.data.clients) == whole  # type: ignore[union-attr]
    assert _status(p, cached=True) == _status(p, cached=False)
    assert Store(p).load().data.clients.keys() == Store(p).parse(p.read_bytes()).data.clients.keys()
    session.undo()
    whole = list(Store(p).parse(p.read_bytes()).data.clients)
    assert list(session.snap.data.clients) == whole  # type: ignore[union-attr]
    assert _status(p, cached=True) == _status(p, cached=False)
