"""Keys declared once: the table gives the bindings, the palette, the help and the README;
keys.toml rebinds them, and a bad entry there warns and keeps the default."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from clientfit_tui.app import commands
from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.checklist import ChecklistScreen
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.commands import APP, CHECKLIST, CLIENTS, COMMANDS, HELP, INCIDENTS, LIST, read_keymap
from clientfit_tui.app.help import HelpScreen, HelpText
from clientfit_tui.app.incident_dialog import IncidentDialog
from clientfit_tui.app.incidents import IncidentsScreen
from clientfit_tui.app.widgets import RowTable
from clientfit_tui.domain.model import KIND_KEYS
from test_app import drive, plain

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", "2026-11-27T10:00:00")


def keys_toml(text: str) -> Path:
    path = commands.keys_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def bound(node: object) -> dict[str, Binding]:
    """The bindings of one node (app, screen or widget) by id, as the keymap left them."""
    out: dict[str, Binding] = {}
    for bindings in node._bindings.key_to_bindings.values():  # type: ignore[attr-defined]
        for b in bindings:
            if b.id:
                out.setdefault(b.id, b)
    return out


def keys_of(app: ClientfitApp, binding_id: str) -> set[str]:
    """The keys bound to `binding_id` now on screen, the keymap applied."""
    return {k for _, bindings in app.screen._binding_chain
            for k, bs in bindings.key_to_bindings.items() for b in bs if b.id == binding_id}


def warnings(app: ClientfitApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "warning"]


def test_every_row_is_a_binding_with_its_id_where_it_works(sample_file: Path) -> None:
    """Each place gets exactly its rows, each a Binding with the row's id, keys and action."""
    seen: dict[str, dict[str, Binding]] = {}

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        seen[APP] = bound(app)
        seen[CLIENTS] = bound(app.screen)
        seen[LIST] = bound(app.screen.query_one(RowTable))
        await pilot.press("2")
        seen[INCIDENTS] = bound(app.screen)
        await pilot.press("1", "enter")
        assert isinstance(app.screen, ChecklistScreen)
        seen[CHECKLIST] = bound(app.screen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        seen[HELP] = bound(app.screen)
        assert bound(app.screen.query_one(HelpText)) == seen[LIST]
    drive(sample_file, script)
    for place, got in seen.items():
        rows = {c.id: c for c in COMMANDS if place in c.where}
        assert set(got) == set(rows), place
        for i, b in got.items():
            assert (b.key in rows[i].keys.split(",")) and b.action == rows[i].action
            assert b.show == rows[i].footer and b.description == rows[i].label


def test_no_binding_of_the_app_lacks_an_id() -> None:
    """Every Binding declared in the app's code has an id (the dialogs' included)."""
    import clientfit_tui.app as pkg
    from clientfit_tui.app import dialogs

    found = 0
    for module in Path(pkg.__file__).parent.glob("*.py"):
        mod = __import__(f"clientfit_tui.app.{module.stem}", fromlist=["x"])
        mine = [c for c in vars(mod).values()
                if isinstance(c, type) and c.__module__ == mod.__name__]
        for cls in mine:
            for b in vars(cls).get("BINDINGS", []):
                assert isinstance(b, Binding) and b.id, (module.stem, cls, b)
                found += 1
    kinds = dialogs.choice(list(KIND_KEYS.items()), "other")
    assert all(b.id for b in kinds.BINDINGS)  # type: ignore[union-attr]
    assert found >= len(COMMANDS)


def test_the_table_is_consistent() -> None:
    """Ids are unique, places known, keys valid Textual names, no two keys clash by default."""
    ids = [c.id for c in COMMANDS]
    assert len(ids) == len(set(ids))
    assert commands.known_ids() >= set(ids)
    for c in COMMANDS:
        assert c.where and set(c.where) <= set(commands.PLACES)
        assert all(commands.valid_key(k) for k in c.keys.split(",")), c
        assert c.label and c.does
    assert list(commands._clashes({})) == []


@pytest.mark.parametrize(("key", "ok"), [
    ("x", True), ("K", True), ("ctrl+n", True), ("f5", True), ("ctrl+shift+f12", True),
    ("question_mark", True), ("slash", True), ("comma", True), ("space", True), ("pageup", True),
    ("", False), ("ctrl+", False), ("ctrl+nope", False), ("crtl+n", False), ("Enter key", False),
])
def test_valid_key_names(key: str, ok: bool) -> None:
    assert commands.valid_key(key) is ok


def test_palette_lists_the_commands(sample_file: Path) -> None:
    """The palette offers the app's commands and the screen's; choosing one runs it."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        for screen_type, place in ((ClientsScreen, CLIENTS), (IncidentsScreen, INCIDENTS)):
            await pilot.press("1" if place == CLIENTS else "2")
            assert isinstance(app.screen, screen_type)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            want = [c.does[:1].upper() + c.does[1:] for c in COMMANDS if c.palette and
                    (APP in c.where or place in c.where)]
            assert titles == want
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"the client list")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ClientsScreen)
        entries = {c.title: c for c in app.get_system_commands(app.screen)}
        await entries["The client's offboarding checklist"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
    drive(sample_file, script)


def test_help_shows_every_key(sample_file: Path) -> None:
    """The help lists every row's keys and words (and the dialogs'), this screen's first."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2", "question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        text = plain(screen.body, width=120)
        lines = text.splitlines()
        assert lines.index("Incident log (this screen)") < lines.index("On every screen (not in a dialog)")
        for c in COMMANDS:
            shown = ", ".join(app.get_key_display(Binding(k, c.action))
                              for k in c.keys.split(","))
            assert re.search(rf"^{re.escape(shown)} +{re.escape(c.does)} *$", text, re.M), c
        for b in commands.dialog_keys():
            shown = ", ".join(app.get_key_display(Binding(k, b.action))
                              for k in b.key.split(","))
            assert re.search(rf"^{re.escape(shown)} +\w", text, re.M), b
    drive(sample_file, script)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_help_fits_and_scrolls_by_keys(sample_file: Path, size: tuple[int, int]) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one(HelpText)
        assert box.region.width <= size[0] and box.region.height <= size[1]
        assert box.max_scroll_y > 0 and box.scroll_y == 0
        await pilot.press("down", "down")
        assert box.scroll_y == 2
        await pilot.press("up")
        assert box.scroll_y == 1
        await pilot.press("end")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("home")
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        assert box.scroll_y > 2
        await pilot.press("pageup")
        assert box.scroll_y == 0
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)
    drive(sample_file, script, size=size)


def test_a_rebound_key_acts_and_the_old_one_no_longer(sample_file: Path) -> None:
    keys_toml('new-incident = "ctrl+n"\nsort = "o"\ndown = "down,j"\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        assert warnings(app) == []
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, IncidentDialog)
        await pilot.press("escape")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ClientsScreen)
        screen: Screen[object] = app.screen
        assert keys_of(app, "new-incident") == {"ctrl+n"}
        footer = {k.action: k.key_display for k in screen.query(FooterKey)}
        assert footer["new_incident"] == "^n"
        entries = {c.title: c.help for c in app.get_system_commands(screen)}
        assert entries["Log an incident (quick entry)"] == "Log: ^n"
        assert entries["Cycle the sort"] == "Sort: o"
        before = screen.sort_by  # type: ignore[attr-defined]
        await pilot.press("s")
        assert screen.sort_by == before  # type: ignore[attr-defined]
        await pilot.press("o")
        assert screen.sort_by == before + 1  # type: ignore[attr-defined]
        table = screen.query_one(RowTable)
        start = table.cursor
        await pilot.press("j")
        assert table.cursor == start + 1
        await pilot.press("question_mark")
        text = plain(app.screen.body)  # type: ignore[attr-defined]
        assert re.search(r"^\^n +log an incident", text, re.M)
        assert re.search(r"^o +cycle the sort", text, re.M)
    drive(sample_file, script)


def test_bad_entries_warn_with_their_line_and_keep_the_default(sample_file: Path) -> None:
    path = keys_toml('# mine\nnew-incident = "ctrl+n"\n"no-such" = "x"\nsort = 3\n'
                     'find = "ctrl+[nope"\nundo = "n"\n[help]\nkey = "h"\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        said = warnings(app)
        assert said == [
            f"{path}:3: no key has the id 'no-such' (the README lists them)",
            f'{path}:4: sort must be a string of keys, as "ctrl+n" or "u,f5"',
            f"{path}:5: find: 'ctrl+[nope' is not a key name "
            '(as "x", "ctrl+n", "f5", "question_mark")',
            f'{path}:7: help must be a string of keys, as "ctrl+n" or "u,f5"',
        ]
        assert all("\n" not in w for w in said)
        assert keys_of(app, "new-incident") == {"ctrl+n"}
        assert keys_of(app, "undo") == {"n"}  # free once new-incident moved
        await pilot.press("s")  # sort and help keep their keys
        assert app.screen.sort_by == 1  # type: ignore[attr-defined]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
    drive(sample_file, script)


def test_a_clash_warns_and_keeps_the_default(tmp_path: Path) -> None:
    """undo on `n` while `n` logs an incident: undo keeps u; once n moves, u may go to n."""
    path = tmp_path / "keys.toml"
    path.write_text('undo = "n"\nsort = "ctrl+r"\n')
    keymap, said = read_keymap(path, commands.known_ids())
    assert keymap == {}
    assert said == [f"{path}:1: undo: n is already the key of new-incident; its default stays",
                    f"{path}:2: sort: ctrl+r is already the key of reload; its default stays"]
    path.write_text('undo = "n"\nnew-incident = "ctrl+n"\nkind-next = "s"\n')
    assert read_keymap(path, commands.known_ids()) == (
        {"undo": "n", "new-incident": "ctrl+n", "kind-next": "s"}, [])


def test_a_file_that_is_not_toml_is_one_warning(sample_file: Path) -> None:
    path = keys_toml('new-incident = "ctrl+n"\nundo = \n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        assert warnings(app) == [f"{path}:2:8: Invalid value; the default keys stay"]
        await pilot.press("n")
        assert isinstance(app.screen, IncidentDialog)
    drive(sample_file, script)


def test_unreadable_keys_files(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    assert read_keymap(missing, {"undo"}) == ({}, [])
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b'undo = "\xff"\n')
    assert read_keymap(binary, {"undo"}) == ({}, [f"{binary}: not UTF-8 (byte 8); "
                                                   "the default keys stay"])


def test_the_keys_file_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert commands.keys_file() == tmp_path / "clientfit" / "keys.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert commands.keys_file() == tmp_path / ".config" / "clientfit" / "keys.toml"


def test_readme_key_table_is_the_generated_one() -> None:
    """README.md's key table is what the table gives; regenerate with
    `python -m clientfit_tui.app.commands --readme README.md`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert commands.with_table(readme) == readme, \
        "README.md's key table is stale: python -m clientfit_tui.app.commands --readme README.md"


def test_readme_example_keys_file_is_valid(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(# ~/.config/clientfit/keys.toml\n.*?)```", readme, re.S)
    assert example
    path = tmp_path / "keys.toml"
    path.write_text(example.group(1))
    keymap, said = read_keymap(path, commands.known_ids())
    assert said == [] and keymap


def test_markdown_from_the_command_line(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "clientfit_tui.app.commands", "--markdown"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == commands.markdown()
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{commands.BEGIN}\n| old |\n{commands.END}\nafter\n")
    subprocess.run([sys.executable, "-m", "clientfit_tui.app.commands", "--readme",
                    str(readme)], check=True)
    assert readme.read_text() == (f"# x\n{commands.BEGIN}\n{commands.markdown()}"
                                  f"{commands.END}\nafter\n")
