"""Fuzzy choice of a client from a few typed letters."""

from __future__ import annotations

import unicodedata

from .model import Client


def folded(text: str) -> str:
    """`text` as a search compares it: without case or accents ("Órbita" is "orbita",
    "Clínica" "clinica", "año" "ano"), as a person types over SSH."""
    if text.isascii():
        return text.casefold()
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch)).casefold()


def score(query: str, text: str) -> int | None:
    """How well `query` matches `text` (higher is better), or None when it doesn't.

    The letters of the query must appear in order; a match at the start, and
    letters that follow each other, score higher. Case and accents do not count.
    """
    q, t = folded(query), folded(text)
    if not q:
        return 0
    if t.startswith(q):
        return 1000 - len(t)
    if q in t:
        return 500 - t.index(q)
    pos, total, run = 0, 0, 0
    for ch in q:
        j = t.find(ch, pos)
        if j < 0:
            return None
        run = run + 1 if j == pos else 0
        total += 5 * run - (j - pos)
        pos = j + 1
    return total


def match_clients(query: str, clients: list[Client]) -> list[Client]:
    """Clients whose id or name matches `query`, best first."""
    scored = []
    for c in clients:
        s = [x for x in (score(query, c.id), score(query, c.name)) if x is not None]
        if s:
            scored.append((-max(s), c.id, c))
    return [c for _, _, c in sorted(scored, key=lambda x: (x[0], x[1]))]
