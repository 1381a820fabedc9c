"""The last write path: tomlkit's document model, for shapes the line splices leave alone
(inline arrays of tables, clients defined by dotted keys).

tomlkit re-renders more than the edit touches: it drops the space before `}` after
a date, and it has one idea of line endings for a file. So its text is only a
draft: every line it did not need to change is put back byte for byte
(`keep_outside`), and the whole result is read back before it is written.
"""

from __future__ import annotations

from typing import Any

from .lex import WS, read_key


def tomlkit_text(text: str, apply: Any) -> str:
    """The text after `apply(doc)` changed tomlkit's document of `text`, with every byte
    outside the changed lines kept."""
    import tomlkit

    doc = tomlkit.parse(text)
    apply(doc)
    return keep_outside(text, tomlkit.dumps(doc))


def _lines(text: str) -> list[str]:
    """The lines of a text with their endings, split at LF alone as TOML does (U+2028,
    U+0085 and a lone CR are characters of a string, not line breaks)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _split(line: str) -> tuple[str, str]:
    """A line and its ending."""
    if line.endswith("\r\n"):
        return line[:-2], "\r\n"
    if line.endswith("\n"):
        return line[:-1], "\n"
    return line, ""


def _content(line: str) -> list[int]:
    """Where a line's characters are, but for blank space outside strings (a line is
    read alone: a line inside a multi-line string counts as outside)."""
    return [i for i, _ in _marked(line)]


def _marked(line: str) -> list[tuple[int, bool]]:
    """`_content`, each place with whether it is inside a string or a comment."""
    out: list[tuple[int, bool]] = []
    quote = ""
    escaped = False
    for i, c in enumerate(line):
        if quote:
            out.append((i, True))
            if escaped:
                escaped = False
            elif c == "\\" and quote == '"':
                escaped = True
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
            out.append((i, True))
        elif c == "#":
            out.extend((j, True) for j in range(i, len(line)))
            break
        elif not c.isspace():
            out.append((i, False))
    return out


def _key(line: str) -> str:
    """A line as compared: its characters without blank space outside strings; a
    table header by its decoded key path (tomlkit re-quotes the keys of headers under
    a table whose own header quotes them: `[clients."a"]` makes `[[clients."a".b]]`)."""
    head = _header(line)
    if head is not None:
        return head
    return "".join(line[i] for i in _content(line))


def _header(line: str) -> str | None:
    """A header line as its decoded key path and comment, or None for another line."""
    j = WS.match(line).end()  # type: ignore[union-attr]
    if not line.startswith("[", j):
        return None
    aot = line.startswith("[[", j)
    try:
        path, k = read_key(line, WS.match(line, j + 1 + aot).end())  # type: ignore[union-attr]
    except (ValueError, IndexError):
        return None
    close = "]]" if aot else "]"
    if not line.startswith(close, k):
        return None
    rest = line[k + len(close) :].strip()
    if rest and not rest.startswith("#"):
        return None
    return "\x00" + close + repr(path) + rest


def _merge_line(old: str, new: str) -> str:
    """The new line, with the old line's blank space wherever their other characters
    match (the edit never needs to change spacing outside a string, and tomlkit
    re-spaces some values): the characters are aligned without that blank space;
    what the old line has there is written as it was, and what is new comes with
    its own spacing."""
    om, nm = _marked(old), _marked(new)
    op, np = [i for i, _ in om], [j for j, _ in nm]
    # a character inside a string never stands for one outside: the old line's blank
    # space is only put between characters that are outside strings on both lines
    from difflib import SequenceMatcher  # only when tomlkit wrote (not on a `log`)

    sm = SequenceMatcher(None, [(old[i], f) for i, f in om], [(new[j], f) for j, f in nm],
                         autojunk=False)
    out: list[str] = []
    o = w = 0  # how far the old and the new line are written or skipped
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            # the blank space before the run: the old line's at its start (indentation),
            # else the new line's (what came before it on the old line may be gone)
            lead = old[o : op[i1]] if i1 == j1 == 0 else new[w : np[j1]]
            out.append(lead + old[op[i1] : op[i2 - 1] + 1])
            o, w = op[i2 - 1] + 1, np[j2 - 1] + 1
            continue
        if j2 > j1:
            out.append(new[w : np[j2 - 1] + 1])
            w = np[j2 - 1] + 1
        if i2 > i1:
            o = op[i2 - 1] + 1
    out.append(old[o:] if not new[w:].strip() else new[w:])
    return "".join(out)


def keep_outside(old: str, new: str) -> str:
    """`new` (a re-rendering of `old` with an edit made), with every line that the edit
    did not change given back its old bytes, its line ending included: lines are
    compared without their blank space outside strings. A changed line keeps its
    old ending, and its blank space where only that differs; a new line takes the
    ending of the line it follows."""
    a = _lines(old)
    b = _lines(new)
    ka = [_key(_split(x)[0]) for x in a]
    kb = [_key(_split(x)[0]) for x in b]
    p = 0  # the lines alike at the start and at the end need no diff
    while p < min(len(ka), len(kb)) and ka[p] == kb[p]:
        p += 1
    s = 0
    while s < min(len(ka), len(kb)) - p and ka[len(ka) - 1 - s] == kb[len(kb) - 1 - s]:
        s += 1
    out = a[:p]
    from difflib import SequenceMatcher

    sm = SequenceMatcher(None, ka[p : len(ka) - s], kb[p : len(kb) - s], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        i1, i2, j1, j2 = i1 + p, i2 + p, j1 + p, j2 + p
        if tag == "equal":
            out += a[i1:i2]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        tail: list[str] = []
        restore = sum(map(_blank, olds)) > sum(map(_blank, news))
        if restore:  # tomlkit drops a blank line next to what it adds: each is put back
            while olds and _blank(olds[-1]):
                tail.insert(0, olds.pop())
        k = 0
        for was_line in olds:
            if restore and _blank(was_line):
                out.append(was_line)
            elif k < len(news):
                body, end = _split(news[k])
                was, was_end = _split(was_line)
                out.append(_merge_line(was, body) + (was_end or (_last_ending(out, a) if end
                                                                  else "")))
                k += 1
        for line in news[k:]:
            body, end = _split(line)
            ending = _last_ending(out, a)
            if out:  # the ending of the line it follows (given one, if it was the last)
                before, was_end = _split(out[-1])
                if not was_end:
                    out[-1] = before + ending
            out.append(body + (ending if end else ""))
        out += tail
    out += a[len(a) - s :] if s else []
    return "".join(out)


def _blank(line: str) -> bool:
    return not line.strip()


def _last_ending(out: list[str], old: list[str]) -> str:
    """The ending of the last line written that has one (the file's first, if none)."""
    for line in reversed(out[-2:]):
        end = _split(line)[1]
        if end:
            return end
    return _first_ending(old)


def _first_ending(lines: list[str]) -> str:
    for line in lines:
        end = _split(line)[1]
        if end:
            return end
    return "\n"


def inline_style(array_text: str) -> bool:
    """Whether the inline tables of an array are written with spaces inside the braces
    (`{ at = ... }`, the default) rather than without (`{at = ...}`)."""
    spaced = array_text.count("{ ")
    tight = array_text.count("{") - spaced - array_text.count("{}")
    return spaced >= tight
