"""Every key of the app, declared once: the table `COMMANDS`.

Each row is one command: its keys, the id a person rebinds it by, a short label
(the footer), what it does (the help, the palette, the README), where it works,
the action it runs, and whether the footer and the command palette offer it.
From this one table come:

- the `Binding`s of the app and of each screen: `BINDINGS = bindings(WHERE)`;
- the command palette: `palette(app, screen)`;
- the help screen (app/help.py), grouped by where;
- the README's key table: `python -m clientfit_tui.app.commands --markdown` prints
  it, `--readme README.md` rewrites it in place; a test fails when they differ.

Where a new key goes: ONE line in `COMMANDS` (keys, id, label, does, where, action).
A new screen also gets one line in `PLACES` and, in its class,
`WHERE = "name"` and `BINDINGS = bindings(WHERE)`. The keys inside dialogs
(app/dialogs.py) stay there, each `Binding` with an id; `dialog_keys()` reads them.

People rebind keys in `keys.toml` (`keys_file()`): `id = "keys"`, read by
`read_keymap` and given to Textual's keymap (`App.set_keymap`).
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, _normalize_key_list, key_to_character
from textual.screen import ModalScreen, Screen

from ..i18n import N_, _

APP, CLIENTS, INCIDENTS, CHECKLIST, CLIENT, SCRIPT, PARETO, LIST, HELP = (
    "app", "clients", "incidents", "checklist", "client", "script", "pareto", "list", "help")

PLACES: dict[str, tuple[str, str]] = {
    APP: (N_("On every screen (not in a dialog)"), "any screen"),
    CLIENTS: (N_("Client list"), "client list"),
    INCIDENTS: (N_("Incident log"), "incident log"),
    CHECKLIST: (N_("Checklist"), "checklist"),
    CLIENT: (N_("Client page"), "client page"),
    SCRIPT: (N_("The script"), "script"),
    PARETO: (N_("Pareto"), "Pareto screen"),
    LIST: (N_("In a list, and in this help"), "any list, help"),
    HELP: (N_("This help"), "help"),
}
"""Where a command works: (title in the help, translated where shown; name in the README's
table, which stays English)."""


@dataclass(frozen=True, slots=True)
class Command:
    keys: str
    """Textual key names, comma separated: "u,ctrl+z"."""
    id: str
    """The binding id: the name a person rebinds it by in keys.toml."""
    label: str
    """A word or two, for the footer (English, marked N_: translated where shown)."""
    does: str
    """What it does, for the help, the palette and the README (English, marked N_: the
    help and the palette translate it, the README keeps it)."""
    where: tuple[str, ...]
    """The places (keys of PLACES) where it works."""
    action: str
    """The Textual action it runs, on the app (APP) or on the screen or widget."""
    footer: bool = True
    """Shown in the footer."""
    palette: bool = True
    """Offered in the command palette."""
    priority: bool = True
    """Run before the focused widget sees the key (and before the next key is read)."""
    always: bool = False
    """An app-wide key that also acts while a dialog is open or text is typed."""


def _c(keys: str, id: str, label: str, does: str, where: str | tuple[str, ...], action: str,
       **flags: bool) -> Command:
    return Command(keys, id, label, does, (where,) if isinstance(where, str) else where,
                   action, **flags)


HIDE = {"footer": False}
QUIET = {"footer": False, "palette": False}

# The order is the footer's order on each screen.
COMMANDS: tuple[Command, ...] = (
    _c("n", "new-incident", N_("Log"), N_("log an incident (quick entry)"), APP, "new_incident"),
    _c("1", "clients", N_("Clients"), N_("the client list"), APP, "mode('clients')"),
    _c("2", "incidents", N_("Incidents"), N_("the incident log"), APP, "mode('incidents')"),
    _c("question_mark", "help", N_("Keys"), N_("every key"), APP, "help"),
    _c("q", "quit", N_("Quit"), N_("quit (everything is already saved)"), APP, "quit"),
    _c("3", "checklist", N_("Checklist"), N_("the selected client's checklist"), APP, "checklist",
       **HIDE),
    _c("u,ctrl+z", "undo", N_("Undo"), N_("undo the last change (the last 50)"), APP, "undo", **HIDE),
    _c("e", "editor", N_("Edit file"), N_("open the file in $VISUAL/$EDITOR at the selected client"),
       APP, "editor", **HIDE),
    _c("p", "pareto", N_("Pareto"), N_("the Pareto screen: trouble against revenue"), APP, "pareto",
       **HIDE),
    _c("ctrl+r", "reload", N_("Reload"), N_("read the file again now"), APP, "reload", **HIDE),
    _c("ctrl+p", "command-palette", N_("palette"), N_("the command palette: every command by name"),
       APP, "command_palette", always=True, **QUIET),
    _c("enter", "open", N_("Open"), N_("the client's offboarding checklist"), CLIENTS, "open"),
    _c("escape,backspace,b", "back", N_("Back"), N_("back to the list"), (CHECKLIST, CLIENT, PARETO),
       "back"),
    _c("enter,space", "do-step", N_("Do step"), N_("do the selected step"), CHECKLIST, "act"),
    _c("d", "decide", N_("Decide"), N_("decide: start offboarding (after cooling off)"),
       (CLIENTS, CHECKLIST, CLIENT), "decide"),
    _c("r", "review", N_("Review"), N_("record a review: you considered ending it"),
       (CLIENTS, CHECKLIST, CLIENT), "review"),
    _c("i", "client-page", N_("Client"), N_("the client's page: the dossier, trouble per month"),
       (CLIENTS, CHECKLIST), "info", **HIDE),
    _c("s", "script", N_("Script"), N_("the words for the meeting and the confirmation, to copy"),
       (CHECKLIST, CLIENT), "script"),
    _c("c", "client-checklist", N_("Checklist"), N_("the client's checklist"), CLIENT, "checklist"),
    _c("c", "script-copy", N_("Copy all"), N_("copy the talking points and the confirmation"),
       SCRIPT, "copy('all')"),
    _c("m", "script-copy-confirmation", N_("Copy mail"), N_("copy only the written confirmation"),
       SCRIPT, "copy('confirmation')"),
    _c("escape,q", "script-close", N_("Close"), N_("close the script"), SCRIPT, "close"),
    _c("s", "sort", N_("Sort"), N_("cycle the sort"), CLIENTS, "sort", **HIDE),
    _c("a,plus", "add-client", N_("Add"), N_("add a client"), CLIENTS, "add_client", **HIDE),
    _c("slash", "find", N_("Find"), N_("filter by id, name or status"), CLIENTS, "filter", **HIDE),
    _c("escape", "clear-find", N_("Clear"), N_("clear the filter"), CLIENTS, "clear_filter",
       priority=False, **QUIET),
    _c("enter", "edit-incident", N_("Edit"), N_("edit the incident"), INCIDENTS, "edit"),
    _c("v,space", "view-incident", N_("View"), N_("read the incident's whole note (c copies it)"),
       INCIDENTS, "view"),
    _c("slash", "find-note", N_("Find"), N_("search the notes"), INCIDENTS, "find", **HIDE),
    _c("escape", "clear-find-note", N_("Clear"), N_("clear the search"), INCIDENTS, "clear_find",
       priority=False, **QUIET),
    _c("x,delete", "delete-incident", N_("Delete"), N_("delete the incident"), INCIDENTS, "delete"),
    _c("f", "client-filter", N_("Client"), N_("show one client's incidents"), INCIDENTS,
       "filter_client"),
    _c("k", "kind-next", N_("Kind"), N_("cycle the kind shown"), INCIDENTS, "kind(1)"),
    _c("K", "kind-back", N_("Kind back"), N_("cycle the kind shown, backwards"), INCIDENTS,
       "kind(-1)", **HIDE),
    _c("a", "show-all", N_("All"), N_("every client and kind again"), INCIDENTS, "clear", **HIDE),
    _c("space", "mark", N_("Mark"), N_("mark the client for the what-if"), PARETO, "mark"),
    _c("c", "clear-marks", N_("Clear marks"), N_("clear the marks"), PARETO, "clear_marks"),
    _c("up", "up", N_("Up"), N_("move up"), LIST, "cursor(-1)", **QUIET),
    _c("down", "down", N_("Down"), N_("move down"), LIST, "cursor(1)", **QUIET),
    _c("pageup,ctrl+b", "page-up", N_("Page up"), N_("a page up"), LIST, "page(-1)", **QUIET),
    _c("pagedown,ctrl+f", "page-down", N_("Page down"), N_("a page down"), LIST, "page(1)", **QUIET),
    _c("home,g", "first", N_("First"), N_("to the first"), LIST, "jump(0)", **QUIET),
    _c("end,G", "last", N_("Last"), N_("to the last"), LIST, "jump(-1)", **QUIET),
    _c("escape,q,question_mark", "close-help", N_("Close"), N_("close this help"), HELP,
       "dismiss_help", priority=False, **QUIET),
)


def bindings(where: str) -> list[BindingType]:
    """The `Binding`s of one place, in the table's order, described in English: Textual
    reads them when the class is made, before the language is known; `speak` translates
    each instance's own copy."""
    return [Binding(c.keys, c.action, c.label, show=c.footer, priority=c.priority,
                    tooltip=capital(c.does), id=c.id)
            for c in COMMANDS if where in c.where]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def speak(node: DOMNode) -> None:
    """Describe the bindings of `node` (an app, a screen, a widget) in the reader's language:
    the footer and Textual's key panel read `node._bindings`, each instance's own copy of
    the class's map (its lists are shared with the class, so they are replaced, never
    changed in place). Call it from `__init__`, once the node exists."""
    by_id = {c.id: c for c in COMMANDS}
    table = node._bindings.key_to_bindings
    for key, found in list(table.items()):
        table[key] = [_spoken(b, by_id.get(b.id or "")) for b in found]


def _spoken(b: Binding, c: Command | None) -> Binding:
    if c is not None:
        return replace(b, description=_(c.label), tooltip=capital(_(c.does)))
    return replace(b, description=_(b.description) if b.description else "",
                   tooltip=_(b.tooltip) if b.tooltip else "")


def at(where: str) -> list[Command]:
    return [c for c in COMMANDS if where in c.where]


def guarded_actions() -> frozenset[str]:
    """The app's actions that wait while a dialog is open or a text box has the focus."""
    return frozenset(c.action.split("(")[0] for c in at(APP) if not c.always)


def effective_keys(command: Command, keymap: Mapping[str, str]) -> list[str]:
    """The command's keys, as rebound by `keymap` (Textual key names)."""
    return [k.strip() for k in keymap.get(command.id, command.keys).split(",")]


def palette(app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    """The command palette's entries: the app's commands and those of `screen`."""
    here = getattr(screen, "WHERE", None)
    keymap: Mapping[str, str] = getattr(app, "key_overrides", {})
    for c in COMMANDS:
        if c.palette and here in c.where:
            target: DOMNode | None = screen
        elif c.palette and APP in c.where and not isinstance(screen, ModalScreen):
            target = None
        else:
            continue
        keys = ", ".join(app.get_key_display(Binding(k, c.action))
                         for k in effective_keys(c, keymap))
        yield SystemCommand(capital(_(c.does)), f"{_(c.label)}: {keys}",
                            partial(app.run_action, c.action, target))


# -- dialogs ------------------------------------------------------------------------

def dialog_keys() -> list[Binding]:
    """The keys of the dialogs (declared in app/dialogs.py and app/questions.py), each with
    its id."""
    from . import dialogs, notes, questions

    seen: dict[str, Binding] = {}
    for cls in (dialogs.Dialog, questions.Confirm, dialogs.Choice, notes.IncidentView):
        for b in cls.BINDINGS:
            if isinstance(b, Binding) and b.id and b.id not in seen:
                seen[b.id] = b
    return list(seen.values())


def known_ids() -> frozenset[str]:
    return frozenset(c.id for c in COMMANDS) | {b.id for b in dialog_keys() if b.id}


# -- keys.toml ----------------------------------------------------------------------

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(k.value for k in Keys)


def keys_file() -> Path:
    """$XDG_CONFIG_HOME/clientfit/keys.toml (~/.config/clientfit/keys.toml)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "clientfit" / "keys.toml"


def valid_key(key: str) -> bool:
    """A Textual key name: "x", "ctrl+n", "f5", "question_mark", "slash"..."""
    *mods, base = key.split("+")
    if any(m not in MODIFIERS for m in mods) or not base:
        return False
    return (len(base) == 1 and base.isprintable() and not base.isspace()) or \
        base in _KEY_NAMES or key_to_character(REPLACED_KEYS.get(base, base)) is not None


def _line_of(text: str, name: str) -> int | None:
    """The line where `name` is set (or opens a table), 1-based."""
    quoted = f"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    pattern = re.compile(rf"^\s*(?:\[+\s*{quoted}\s*[\].]|{quoted}\s*[=.])")
    for n, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return n
    return None


def read_keymap(path: Path, known: Collection[str]) -> tuple[dict[str, str], list[str]]:
    """The rebindings in `path` (binding id -> keys), and a one-line warning per bad entry.

    A missing file is no rebinding. A bad entry (unknown id, not a string of keys,
    a key that clashes with another where both work) is left out: its default key
    stays. A file that is not TOML changes nothing.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as e:
        return {}, [_("{path}: {why}; the default keys stay").format(path=path,
                                                                      why=e.strerror or e)]
    try:
        text = raw.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError as e:
        return {}, [_("{path}: not UTF-8 (byte {byte}); the default keys stay").format(
            path=path, byte=e.start)]
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
        where = f"{path}:{m.group(1)}:{m.group(2)}" if m else str(path)
        return {}, [_("{path}: {why}; the default keys stay").format(
            path=where, why=msg[:m.start()] if m else msg)]
    keymap: dict[str, str] = {}
    lines: dict[str, str] = {}
    warnings: list[str] = []
    for name, value in table.items():
        line = _line_of(text, name)
        here = f"{path}:{line}" if line else str(path)
        lines[name] = here
        if name not in known:
            warnings.append(_("{path}: no key has the id {id} (the README lists them)").format(
                path=here, id=repr(name)))
        elif not isinstance(value, str):
            warnings.append(_('{path}: {id} must be a string of keys, as "ctrl+n" or "u,f5"')
                            .format(path=here, id=name))
        else:
            keys = _normalize_key_list(value)
            bad = [k for k in keys.split(",") if not valid_key(k)]
            if bad:
                warnings.append(_('{path}: {id}: {key} is not a key name (as "x", "ctrl+n", '
                                  '"f5", "question_mark")').format(path=here, id=name,
                                                                   key=repr(bad[0])))
            else:
                keymap[name] = keys
    for name, other, key in _clashes(keymap):
        warnings.append(_("{path}: {id}: {key} is already the key of {other}; its default "
                          "stays").format(path=lines[name], id=name, key=key, other=other))
        keymap.pop(name, None)
    return keymap, warnings


def _clashes(keymap: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """Rebindings to a key that another command has where both work; each is dropped."""
    while True:
        found = next(((c.id, o.id, k) for c in COMMANDS if c.id in keymap
                      for o in COMMANDS if o.id != c.id and _overlap(c.where, o.where)
                      for k in effective_keys(c, keymap) if k in effective_keys(o, keymap)),
                     None)
        if found is None:
            return
        keymap.pop(found[0])
        yield found


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether keys of places `a` and keys of places `b` can act on the same screen."""
    screens = [{p, APP, LIST} for p in PLACES if p not in (APP, LIST, HELP)]
    return any(ctx & set(a) and ctx & set(b) for ctx in [*screens, {HELP, LIST}])


# -- the README's table ---------------------------------------------------------------

def _show(keys: str) -> str:
    out = []
    for k in keys.split(","):
        *mods, base = k.split("+")
        char = key_to_character(REPLACED_KEYS.get(base, base)) if len(base) > 1 else base
        shown = char if char and char.isprintable() and not char.isspace() else base
        out.append("`" + "+".join([*mods, shown]) + "`")
    return " ".join(out)


def markdown() -> str:
    """The README's key table, generated from COMMANDS and the dialogs' keys."""
    rows = ["| key | where | does | id |", "| --- | --- | --- | --- |"]
    for c in COMMANDS:
        where = ", ".join(PLACES[w][1] for w in c.where)
        does = re.sub(r"(\$[A-Z_]+)", r"`\1`", c.does)
        rows.append(f"| {_show(c.keys)} | {where} | {does} | `{c.id}` |")
    for b in dialog_keys():
        does = (b.description or (b.id or "").replace("-", " ")).lower()
        rows.append(f"| {_show(b.key)} | dialog | {does} | `{b.id}` |")
    return "\n".join(rows) + "\n"


BEGIN, END = "<!-- keys: generated by python -m clientfit_tui.app.commands -->", "<!-- /keys -->"


def with_table(readme: str) -> str:
    """`readme` with its key table (between BEGIN and END) replaced by `markdown()`."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + markdown() + readme[end:]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--markdown"]:
        sys.stdout.write(markdown())
        return 0
    if argv[:1] == ["--readme"] and len(argv) == 2:
        path = Path(argv[1])
        path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stderr.write("usage: python -m clientfit_tui.app.commands --markdown | --readme FILE\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
