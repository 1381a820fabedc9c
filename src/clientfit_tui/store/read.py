"""Reading the data file: what some bytes mean, by the cheapest way that is proved right.

- a cache hit: the cache knows these exact bytes (by digest);
- read in part: the bytes differ from a version known to be valid only in some
  clients' blocks (an edit made by hand), proved enough by `read_in_part`;
- a whole read: `tomllib` (the authority on what the file means), then the model.
"""

from __future__ import annotations

import os
import re
import tomllib
from typing import Any, NamedTuple

from ..domain import rules
from ..domain.model import Client, Data, load_client, load_data
from ..domain.values import dotted
from ..i18n import N_, _
from .cache import Cache
from .disk import stamp_of
from .errors import InvalidFile
from .files import digest
from .scan import Index, line_col, scan
from .snapshot import BOM, Snapshot, encode_instant, locate_all
from .verify import MAX_DEPTH, changed_clients, index_fits, read_blocks

_TOML_POS = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.S)
_TOML_END = re.compile(r"^(.*) \(at end of document\)$", re.S)
_STR = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TUPLE = re.compile(rf"\({_STR}(?:, {_STR})*,?\)")
_IMMUTABLE = re.compile(rf"cannot mutate immutable namespace (\({_STR}(?:, {_STR})*,?\))", re.I)


def decode(b: bytes) -> tuple[str, bool]:
    """The text of the file's bytes, and whether they start with a BOM."""
    text = b.decode("utf-8")
    return (text[1:], True) if text.startswith(BOM) else (text, False)


class Step(NamedTuple):
    """One insertion recorded in the cache since its index was stored whole."""

    at: int
    """Where `new` went in the text."""
    new: str
    line: int
    """The 0-based line of `at`."""
    lo: int
    """The header `new` went before (see `Index.insert`)."""
    changed: dict[str, int | None]
    """The clients whose latest incident it changed, and that incident."""


def replay(steps: list[Any], index: Index, latest: dict[str, int | None],
           text: str | None = None) -> str | None:
    """Take in the insertions logged since the index was stored whole: into a fresh
    index (changed in place), the latest-incident table, and the text when given.
    Raises ValueError when a step does not fit what it is replayed on."""
    for _at, _new, step in steps:
        at, new, line, lo, changed = Step(*step)
        if not 0 <= at <= index.length or not 0 <= lo <= len(index):
            raise ValueError("a step outside the index")
        index.insert(at, new, line, lo)
        latest.update(changed)
        if text is not None:
            text = text[:at] + new + text[at:]
    return text


class Reader:
    """The read strategies of one data file, and what they leave in the cache."""

    def __init__(self, display: str, cache: Cache) -> None:
        self.display = display
        self.cache = cache
        self.full_verify = False
        """Never read in part (for tests)."""

    def snapshot(self, b: bytes, st: os.stat_result | None, data: bool = True,
                 d: str | None = None, known: Snapshot | None = None) -> Snapshot:
        """A snapshot of these bytes: from the cache when it knows them; else read where
        they differ from a version known to be valid (`known`, else the last one
        clientfit wrote) when that is proved enough (`read_in_part`); else in full."""
        d = d or digest(b)
        snap = self.cached(b, st, d, data)
        if snap is not None:
            return snap
        since = (self.read_in_part(known, b, st, d) if known is not None else None) or \
            self.read_since_known(b, st, d, data)
        if since is not None:
            if data:
                _ = since.data
            return since
        return self.parse(b, st, d)

    def cached(self, b: bytes, st: os.stat_result | None, d: str, data: bool
               ) -> Snapshot | None:
        """The snapshot the cache knows for these bytes (by their digest), else None.

        The cache's index is checked against the bytes where it is cheap (its length,
        and each header where the index says it starts): an entry that does not fit
        the file is a miss."""
        entry = self.cache.index(d)
        if entry is None:
            return None
        columns, latest, steps = entry
        try:
            index = Index.from_columns(columns)
            replay(steps, index, latest)
        except (ValueError, TypeError, IndexError, KeyError):
            return None
        snap = Snapshot.from_cache(self.display, b, index, stamp_of(b, st, d), latest,
                                   len(steps))
        try:
            if not index_fits(index, snap):
                return None
        except UnicodeDecodeError:
            return None
        if data:
            model, replayed = self.cache.data(d, Data)
            if model is not None:
                snap = Snapshot.from_cache(self.display, b, index, snap.stamp, latest,
                                           len(steps), model, replayed == 0)
            else:
                _ = snap.data
        return snap

    def read_since_known(self, b: bytes, st: os.stat_result | None, d: str, data: bool
                         ) -> Snapshot | None:
        """These bytes read against the version clientfit last knew (an edit by hand
        since): rebuilt from the cache, checked by its digest, then `read_in_part`
        (with that version's model, when `data` is wanted and the cache has it)."""
        known = self.cache.last_known()
        if known is None:
            return None
        content, columns, latest, steps, at = known
        try:
            text, bom = decode(content)
            index = Index.from_columns(columns)
            text = replay(steps, index, latest, text) or ""
        except (UnicodeDecodeError, ValueError, TypeError, IndexError, KeyError):
            return None
        blob = ((BOM if bom else "") + text).encode("utf-8")
        if digest(blob) != at:
            return None
        model = self.cache.data(at, Data)[0] if data else None
        old = Snapshot.rebuilt(self.display, text, bom, index, stamp_of(blob, None, at), blob,
                               latest, model)
        if not index_fits(index, old):
            return None
        return self.read_in_part(old, b, st, d)

    def parse(self, b: bytes, st: os.stat_result | None = None, d: str | None = None
              ) -> Snapshot:
        """Read the bytes in full and check them, or raise InvalidFile with every problem."""
        try:
            text, bom = decode(b)
        except UnicodeDecodeError as e:
            line = b.count(b"\n", 0, e.start) + 1
            col = e.start - (b.rfind(b"\n", 0, e.start) + 1) + 1
            raise InvalidFile([f"{self.display}:{line}:{col}: " + _(
                "not valid UTF-8 (byte {byte})").format(byte=f"0x{b[e.start]:02x}")]) from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            from .markers import unresolved

            raise InvalidFile(unresolved(self.display, text, str(e)) or
                              [self._syntax_error(text, str(e))]) from None
        except RecursionError:
            raise InvalidFile([f"{self.display}:1:1: " + _("nested too deeply")]) from None
        index = scan(text)
        if index.deepest[0] > MAX_DEPTH:
            line, col = line_col(text, index.deepest[1])
            raise InvalidFile([f"{self.display}:{line}:{col}: " + _(
                "nested too deeply ({levels} levels; clientfit reads up to {most})").format(
                levels=index.deepest[0], most=MAX_DEPTH)])
        data, problems = load_data(raw)
        if data is None:
            raise InvalidFile(locate_all(self.display, text, index, problems))
        snap = Snapshot.whole(self.display, text, bom, index, stamp_of(b, st, d), raw, data, b)
        self.put_index(snap)
        return snap

    def put_index(self, snap: Snapshot) -> None:
        latest = snap.latest_table()
        if latest is not None:
            self.cache.put_index(snap.stamp.digest, snap.index.columns(), latest, snap.blob)

    def remember(self, snap: Snapshot) -> None:
        """Cache the model of a snapshot, so that the next start is quick (slow on big files)."""
        if snap.has_data and not snap.cached:
            self.cache.put_data(snap.stamp.digest, snap.data.settings, snap.data.clients)
            snap.remembered()

    def _syntax_error(self, text: str, msg: str) -> str:
        m = _TOML_POS.match(msg)
        if m:
            return f"{self.display}:{m.group(2)}:{m.group(3)}: {_lower(m.group(1))}"
        m = _TOML_END.match(msg)
        line, col = line_col(text, len(text))
        return f"{self.display}:{line}:{col}: {_lower(m.group(1) if m else msg)}"

    def read_in_part(self, old: Snapshot, b: bytes, st: os.stat_result | None,
                     d: str) -> Snapshot | None:
        """The new version of a file, read against a version known to be valid (the one
        the app holds, or the last one clientfit wrote) only where it changed (an edit
        made in an editor): None when that is not proved to mean the same as reading
        it whole, or the changed clients are not valid (then a whole read reports
        where). Unchanged clients keep their models, when `old` has them.

        The proof, and what it needs of the two texts, is `verify.changed_clients`;
        those clients are then read from all their blocks in the new text.
        """
        if self.full_verify or not old.knows_latest or not old.exact:
            return None
        try:
            text, bom = decode(b)
        except UnicodeDecodeError:
            return None
        index = old.index
        if bom != old.bom or not len(index):
            return None
        got = changed_clients(old.text, index, text)
        if got is None:
            return None
        new_index, ids = got
        settings = old.settings
        raws: dict[str, Any] = {}
        models: dict[str, Client] = {}
        for cid in ids:
            hs = new_index.client_headers(cid)
            if not hs:
                continue  # all of its blocks deleted
            try:
                raw = read_blocks(text, new_index, hs).get("clients", {}).get(cid)
            except tomllib.TOMLDecodeError:
                return None
            model, _ = load_client(settings, cid, raw)
            if model is None:
                return None
            raws[cid], models[cid] = raw, model
        order = dict.fromkeys(o for o in new_index.owners if o is not None)
        data = None
        if old.known_data is not None:
            was = old.known_data
            data = Data(was.settings, {cid: models[cid] if cid in models else was.clients[cid]
                                       for cid in order})
        raw = None
        if old.known_raw is not None:
            raw = {**old.known_raw, "clients": {cid: raws[cid] if cid in raws else
                                                old.known_raw["clients"][cid] for cid in order}}
        latest = old.latest_table()
        new_latest = None
        if latest is not None:
            new_latest = {cid: encode_instant(rules.latest_incident(models[cid], settings))
                          if cid in models else latest.get(cid) for cid in order}
        new = old.derive(text, new_index, stamp_of(b, st, d), raw, data, (b,), clients=raws,
                         latest=new_latest, exact=True)
        self.put_index(new)
        return new


_TOML_SAYS = (
    (re.compile(r"Invalid statement"), N_("invalid statement")),
    (re.compile(r"Expected '=' after a key in a key/value pair"),
     N_("expected '=' after a key in a key/value pair")),
    (re.compile(r"Expected '\]' at the end of a table declaration"),
     N_("expected ']' at the end of a table declaration")),
    (re.compile(r"Expected '\]\]' at the end of an array declaration"),
     N_("expected ']]' at the end of an array declaration")),
    (re.compile(r"Expected newline or end of document after a statement"),
     N_("expected newline or end of document after a statement")),
    (re.compile(r"Expected (?P<what>.+)"), N_("expected {what}")),
    (re.compile(r"Found invalid character (?P<char>.+)"), N_("found invalid character {char}")),
    (re.compile(r"Cannot declare (?P<key>.+) twice"), N_("cannot declare {key} twice")),
    (re.compile(r"Cannot overwrite a value"), N_("cannot overwrite a value")),
    (re.compile(r"Cannot mutate immutable namespace (?P<key>.+)"),
     N_("cannot add to {key}: it was written whole above (an inline table or an array)")),
    (re.compile(r"Cannot redefine namespace (?P<key>.+)"),
     N_("cannot redefine namespace {key}")),
    (re.compile(r"Invalid initial character for a key part"),
     N_("invalid initial character for a key part")),
    (re.compile(r"Unclosed array"), N_("unclosed array")),
    (re.compile(r"Duplicate inline table key (?P<key>.+)"),
     N_("duplicate inline table key {key}")),
    (re.compile(r"Unclosed inline table"), N_("unclosed inline table")),
    (re.compile(r"Unescaped '\\' in a string"), N_("unescaped '\\' in a string")),
    (re.compile(r"Invalid hex value"), N_("invalid hex value")),
    (re.compile(r"Escaped character is not a Unicode scalar value"),
     N_("escaped character is not a Unicode scalar value")),
    (re.compile(r"Unterminated string"), N_("unterminated string")),
    (re.compile(r"Illegal character (?P<char>.+)"), N_("illegal character {char}")),
    (re.compile(r"Invalid date or datetime"), N_("invalid date or datetime")),
    (re.compile(r"Invalid value"), N_("invalid value")),
)
"""tomllib's messages (Python 3.11 to 3.13), as clientfit says them in the reader's
language; one tomllib adds later is said as tomllib writes it."""


def _lower(s: str) -> str:
    """tomllib's message, as clientfit says it: in the reader's language, keys as the
    file writes them, not as Python shows a tuple of them."""
    for pattern, text in _TOML_SAYS:
        m = pattern.fullmatch(s)
        if m is not None:
            args = {k: _TUPLE.sub(lambda t: _keys(t.group()), v)
                    for k, v in m.groupdict().items()}
            return _(text).format(**args)
    s = _IMMUTABLE.sub(lambda m: f"cannot add to {_keys(m.group(1))}: it was written whole "
                       "above (an inline table or an array)", s)
    s = _TUPLE.sub(lambda m: _keys(m.group()), s)
    return s[:1].lower() + s[1:]


def _keys(text: str) -> str:
    try:
        import ast  # only to say an error of the file in TOML's words

        keys = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if isinstance(keys, str):
        keys = (keys,)
    return dotted(tuple(str(k) for k in keys)) if isinstance(keys, tuple) else text
