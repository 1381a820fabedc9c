"""What a cache entry's contents are laid out by: the fields (names and order) of the
types it holds, so that a changed type makes old entries misses with no number to
bump by hand. Loaded only when an entry is read or written (`launch` reads entries'
bytes before the types are loaded)."""

from __future__ import annotations

import os
import sys
import time

from .. import __version__
from .files import key as name_key

FORMAT = 8
"""How the entries are laid out (headers, checksums); what they hold is named by
`fingerprint`, worked out from the code."""


def fields(t: type) -> tuple[str, ...]:
    """The fields a cached type is stored by, in order: a NamedTuple's (rebuilt by
    position), a dataclass's, declared `CACHED_FIELDS`, `__slots__`, or the
    parameters of its constructor."""
    for name in ("CACHED_FIELDS", "_fields", "__dataclass_fields__", "__slots__"):
        got = t.__dict__.get(name) if name != "_fields" else getattr(t, name, None)
        if got is not None:
            return tuple(got)
    code = t.__init__.__code__  # type: ignore[misc]
    return tuple(code.co_varnames[1 : code.co_argcount])


def fingerprint(types: tuple[type, ...]) -> str:
    """A short digest of the names and fields (names and order) of some types."""
    text = ";".join(f"{t.__module__}.{t.__qualname__}({','.join(fields(t))})" for t in types)
    return name_key(text)


def index_types() -> tuple[type, ...]:
    """What `.index` and `.steps` hold (marshalled by position)."""
    from .read import Step
    from .scan import Index

    return (Index, Step)


def model_types() -> tuple[type, ...]:
    """What `.data` and `.journal` hold (pickled)."""
    from ..domain.model import Client, Data, Incident, Invoice, Review, Settings
    from .snapshot import AppendItem, ReplaceClients

    return (Data, Settings, Client, Incident, Invoice, Review, AppendItem, ReplaceClients)


def version(types: tuple[type, ...] = ()) -> str:
    """What an entry holding `types` must have been written under to be read."""
    zone = f"{os.environ.get('TZ', '')}|{'/'.join(time.tzname)}|{time.timezone}|{time.altzone}"
    return (f"{__version__}/{FORMAT}/{fingerprint(types)}/{sys.version_info[0]}."
            f"{sys.version_info[1]}/{sys.byteorder}/{zone}")
