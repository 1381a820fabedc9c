"""What every command shares: exit codes, the one-line error, the store, clients by name."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain import dates
from ..domain.model import Client, Data, Settings, load_client
from ..i18n import _
from ..store.store import Snapshot, Store
from .args import chosen_file, default_path

if TYPE_CHECKING:
    from ..actions import Refusal

EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3


class UserError(Exception):
    """A mistake of the user's, said in one line; exit 1."""


def resolve_store(arg: str | None) -> Store:
    """--file, else $CLIENTFIT_FILE, else the XDG default (created from the template)."""
    try:
        chosen = chosen_file(arg)
    except ValueError as e:
        raise UserError(str(e)) from None
    if chosen:
        return Store(os.path.expanduser(chosen), display=chosen)
    p = default_path()
    store = Store(p, display=p)
    if not os.path.exists(p):
        from ..template import text

        store.create(text())
    return store


def now_for(settings: Settings | None) -> datetime:
    """CLIENTFIT_NOW, or the clock; in UTC (a naive CLIENTFIT_NOW is in the settings' zone)."""
    try:
        return dates.now(settings.tz if settings else dates.zone(None))
    except ValueError as e:
        raise UserError(str(e)) from None


def find_client(data: Data, text: str) -> Client:
    """A client by id, or by a unique start of its id or name."""
    if text in data.clients:
        return data.clients[text]
    from ..domain.search import folded

    low = folded(text)
    hits = [c for c in data.clients.values()
            if folded(c.id).startswith(low) or folded(c.name).startswith(low)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UserError(_("'{text}' matches several clients: {ids}").format(
            text=text, ids=", ".join(c.id for c in hits)))
    import difflib

    close = difflib.get_close_matches(low, list(data.clients), n=3)
    if close:
        raise UserError(_("no client '{text}' (did you mean {ids}?)").format(
            text=text, ids=", ".join(close)))
    raise UserError(_("no client '{text}'").format(text=text))


def client_id(snap: Snapshot, text: str) -> str:
    """A client's id from what was typed: the id, or a unique start of an id or name.

    An exact id is found from the file's index alone, without reading every client.
    """
    if snap.has_client(text):
        return text
    return find_client(snap.data, text).id


def load_model(store: Store) -> Data:
    """The whole model of the file; when it was read in full, it is cached, so that the
    next command (or the app) reading it all starts warm."""
    snap = store.load()
    if not snap.cached:
        store.remember(snap)
    return snap.data


def client_model(snap: Snapshot, cid: str) -> Client:
    model, _ = load_client(snap.settings, cid, snap.client_raw(cid))
    assert model is not None  # the file was valid
    return model


def refused(r: Refusal) -> int:
    """Say a refusal in one line; its exit code."""
    if r.kind == "nothing":
        print(r.reason)
        return EXIT_OK
    print(f"clientfit: {r.reason}", file=sys.stderr)
    return EXIT_REFUSED if r.kind == "cooling" else EXIT_BAD


def dump_json(value: Any) -> str:
    """Strict JSON (no NaN or Infinity), Unicode kept."""
    import json

    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
