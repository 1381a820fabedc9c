"""Writing the data file: an edit made into the fewest changed bytes, proved to mean
exactly the intended data before the file is replaced.

The paths, cheapest first:
- a quick append: one incident logged at the end of a client's array of tables,
  reading neither the client nor the rest of the file (`verify.tail_verified`);
- line splices: only the lines an edit needs, checked where they changed
  (`verify.confined`) or, failing that, by reading the new text back whole;
- tomlkit: its document model, read back whole, with every byte outside the
  changed lines kept (`tomlfmt.keep_outside`); else the edit is refused.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from typing import Any

from ..domain import rules
from ..domain.model import Client, Incident, load_client, load_item
from ..domain.updated import with_clients, with_item
from ..i18n import _
from . import edit as edits
from .cache import Cache
from .disk import DataFile
from .errors import StoreError
from .read import Reader, Step
from .scan import Index, scan
from .snapshot import BOM, AppendItem, ReplaceClients, Snapshot, encode_instant, in_order
from .splice import local_endings
from .verify import (
    append_target,
    client_heads,
    exact_clients,
    headers_fit,
    same_data,
    splices_verified,
    tail_verified,
)

STEPS_LIMIT = 16
"""Insertions recorded in the cache before its index is stored whole again."""


def patch(text: str, index: Index, splices: list[edits.Splice]) -> Index:
    """The index after the splices, patched from the last to the first."""
    order = sorted(range(len(splices)), key=lambda i: (splices[i][0], splices[i][1], i),
                   reverse=True)
    for i in order:
        start, end, new = splices[i]
        index = index.patched(text, start, end, new)
    return index


def owners(index: Index) -> list[str]:
    """The clients of an exact text (each under headers of its own), in the order a
    whole read gives: that of their first header."""
    return list(dict.fromkeys(o for o in index.owners if o is not None))


def _means(text: str, data: dict[str, Any]) -> bool:
    try:
        return same_data(tomllib.loads(text), data)
    except tomllib.TOMLDecodeError:
        return False


class Writer:
    """The write paths of one data file (called with the writers' lock held)."""

    def __init__(self, file: DataFile, cache: Cache, reader: Reader) -> None:
        self.file = file
        self.display = file.display
        self.cache = cache
        self.reader = reader
        self.full_verify = False
        """Read every write back whole, even where the incremental check would do (for tests)."""

    def apply(self, change: edits.Edit, snap: Snapshot, st: os.stat_result,
              on_base: Callable[[dict[str, Any]], None] | None) -> Snapshot:
        """Write `change` over version `snap` (the file as it is, read under the lock)."""
        self.file.clean_temps()
        quick = self.append_quick(change, snap, st, on_base)
        if quick is not None:
            return quick
        ids = change.clients()
        if not headers_fit(snap.index, snap, client_heads(snap.index, ids)):
            # the index (from the cache) is not the file's: a miss, so read it whole
            snap = self.reader.parse(snap.blob, st, snap.stamp.digest)
            quick = self.append_quick(change, snap, st, on_base)
            if quick is not None:
                return quick
        base = snap.partial(ids)
        try:
            change.rebase(base)
            if on_base is not None:
                on_base(base)
            after = change.apply(base)
        except edits.EditError as e:
            raise StoreError(str(e)) from None
        settings = snap.settings
        models: dict[str, Client] = {}
        for cid in ids:
            if cid not in after["clients"]:
                continue
            model, problems = load_client(settings, cid, after["clients"][cid])
            if model is None:
                raise self.refused(problems[0].message)
            models[cid] = model
        new_text, new_index, order = self.edited(snap, change, base, after)
        out = ((BOM if snap.bom else "") + new_text).encode("utf-8")
        d = self.file.write((out,), st, check=st)
        raw = None
        if snap.known_raw is not None:  # the clients in the order a whole read gives
            clients = {**snap.known_raw.get("clients", {}), **after["clients"]}
            raw = {**snap.known_raw, "clients": {cid: clients[cid] for cid in order}}
        data = None
        if snap.known_data is not None:
            data = in_order(with_clients(snap.known_data, models), order)
        latest = snap.latest_table()
        if latest is not None:
            latest = {**latest, **{cid: encode_instant(rules.latest_incident(m, settings))
                                   for cid, m in models.items()}}
            latest = {cid: latest.get(cid) for cid in order}
        new = snap.derive(new_text, new_index, self.file.stamp_now(d), raw, data, (out,),
                          clients={cid: after["clients"].get(cid) for cid in ids},
                          latest=latest)
        self.reader.put_index(new)
        self.cache.note(snap.stamp.digest, new.stamp.digest, ReplaceClients(models, order))
        return new

    def refused(self, why: str) -> StoreError:
        return StoreError(_("{path}: refused: the change would make the file invalid "
                            "({why})").format(path=self.display, why=why))

    def append_quick(self, change: edits.Edit, snap: Snapshot, st: os.stat_result,
                     on_base: Callable[[dict[str, Any]], None] | None) -> Snapshot | None:
        """One element added at the end of a client's array of tables (an incident
        logged), reading neither the client nor the rest of the file: None when the
        file's shape needs the general path (`verify.append_target`).

        The new element is checked alone: a client's elements are checked one by one,
        and the rest of the file was valid. The text is checked where it changed
        (`tail_verified`). Only the block before the new one is decoded; the file is
        written from its old bytes and the new block's.
        """
        if not isinstance(change, edits.Append) or change.position is not None or \
                self.full_verify:
            return None
        target = append_target(snap, change.client, change.array)
        if target is None:
            return None
        last, count = target
        cid, array = change.client, change.array
        path = ("clients", cid, array)
        settings = snap.settings
        try:
            item, problems = load_item(settings, cid, array, count, change.item)
        except ValueError:
            return None
        if item is None:
            raise self.refused(problems[0].message)
        index = snap.index
        start, end = index.block_bounds(last)
        block = snap.region(start, end)
        offset, new = change.tail(block, snap.nl, at_end=end == index.length)
        at = start + offset
        new = local_endings(block, [(offset, offset, new)], snap.nl)[0][2]
        if not tail_verified(block, start, index.length, at, new, path, change.item):
            return None
        if on_base is not None:
            on_base(snap.partial([cid]))
        blob = memoryview(snap.blob)
        cut = snap.byte_offset(at)
        parts = (blob[:cut], new.encode("utf-8"), blob[cut:])
        line = index.line(last) + block.count("\n", 0, at - start)
        d = self.file.write(parts, st, check=st)
        raw = change.apply(snap.known_raw) if snap.known_raw is not None else None
        data = None
        if snap.known_data is not None:
            was = snap.known_data
            data = with_clients(was, {cid: with_item(was.clients[cid], array, item)})
        clients = {}
        if snap.known_client(cid) is not None:
            clients[cid] = change.apply({"clients": {cid: snap.known_client(cid)}}
                                        )["clients"][cid]
        latest = snap.latest_table()
        changed: dict[str, int | None] = {}
        if latest is not None:
            was_at = latest.get(cid)
            now = encode_instant(item.instant) if isinstance(item, Incident) else None
            if now is not None and (was_at is None or now > was_at):
                changed[cid] = now
            latest = {**latest, **changed}
        steps = snap.steps + 1 if snap.steps < STEPS_LIMIT and latest is not None else 0
        written = snap.derive(None,  # the text is decoded when asked for
                              lambda: index.inserted(at, new, line, last + 1),
                              self.file.stamp_now(d), raw, data, parts, clients=clients,
                              latest=latest, steps=steps)
        if steps:
            self.cache.put_step(snap.stamp.digest, written.stamp.digest,
                                Step(at, new, line, last + 1, changed))
        else:
            self.reader.put_index(written)
        self.cache.note(snap.stamp.digest, written.stamp.digest, AppendItem(cid, array, item))
        return written

    def edited(self, snap: Snapshot, change: edits.Edit, base: dict[str, Any],
               after: dict[str, Any]) -> tuple[str, Index, list[str]]:
        """The new text, its index and its clients in file order: line-level splices
        checked incrementally when they can be, else read back whole; else tomlkit,
        read back whole; else refused."""
        doc = edits.Doc(snap.text, snap.index, snap.nl, snap.exact)
        splices = change.splice(doc, base if snap.exact else snap.raw)
        failure: StoreError | None = None
        if splices is not None:
            splices = local_endings(snap.text, splices, snap.nl)
            text = edits.apply_splices(snap.text, splices)
            try:
                index: Index | None = patch(snap.text, snap.index, splices)
            except ValueError:  # the scanner met text it cannot index: prove it whole
                index = None
            ids = change.clients()
            if index is not None and snap.exact and not self.full_verify and \
                    splices_verified(snap.text, snap.index, text, index, ids, after, splices):
                return text, index, owners(index)  # exact: each client under its own headers
            try:
                back = self.verify(text, change.apply(snap.raw))
                return text, index if index is not None else scan(text), list(back.get("clients", {}))
            except StoreError as e:
                failure = e
        intended = change.apply(snap.raw)
        try:
            text = self.tomlkit_text(snap, change)
        except Exception:  # tomlkit has open bugs with some shapes of file
            whose = ", ".join(f"'{c}'" for c in change.clients())
            said = _("{path}: refused to write: clientfit cannot make this change to {clients} "
                     "as written in the file (the way its tables are nested); make it by hand "
                     "(e). The file is unchanged") if whose else \
                _("{path}: refused to write: clientfit cannot make this change to the settings "
                  "as written in the file (the way its tables are nested); make it by hand "
                  "(e). The file is unchanged")
            raise failure or StoreError(said.format(path=self.display, clients=whose)) from None
        back = self.verify(text, intended)
        return text, scan(text), list(back.get("clients", {}))

    def tomlkit_text(self, snap: Snapshot, change: edits.Edit) -> str:
        if not isinstance(change, edits.Many):
            from .fallback import tomlkit_text  # tomlkit and its repair: only when needed

            return tomlkit_text(snap.text, change.apply_tomlkit)
        # one edit at a time, each spliced where its own part of the file allows: tomlkit's
        # model of the whole file loses some edits it makes well alone (an element added
        # to an array of tables split around another client's table)
        text, raw = snap.text, snap.raw
        for part in change.edits:
            index = scan(text)
            doc = edits.Doc(text, index, snap.nl, exact_clients(text, index))
            splices = part.splice(doc, raw)
            want = part.apply(raw)
            spliced = None if splices is None else \
                edits.apply_splices(text, local_endings(text, splices, snap.nl))
            if spliced is None or not _means(spliced, want):
                from .fallback import tomlkit_text

                spliced = tomlkit_text(text, part.apply_tomlkit)
            text, raw = spliced, want
        return text

    def verify(self, new_text: str, intended: dict[str, Any]) -> dict[str, Any]:
        """The new text must read back as exactly the intended data, or nothing is written."""
        try:
            back = tomllib.loads(new_text)
        except tomllib.TOMLDecodeError as e:
            raise StoreError(_("{path}: refused to write: the edited text would not be valid "
                               "TOML ({error}); the file is unchanged").format(
                path=self.display, error=e)) from None
        if not same_data(back, intended):
            raise StoreError(_("{path}: refused to write: the edited text would not read "
                               "back as intended; the file is unchanged").format(
                path=self.display))
        return back
