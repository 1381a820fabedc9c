"""Tab completion: the helper's answers, and the real shells running the real scripts."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clientfit_tui.cli.complete import complete
from clientfit_tui.cli.parser import COMMANDS
from clientfit_tui.domain.model import KINDS

BIN = str(Path(sys.executable).parent)
SAMPLE_IDS = ["acme", "bluebird", "slowpay", "gecko", "orbit", "harbor", "northwind", "lumen",
              "pixel-fox"]


def values(line: str, shell: str = "bash", cur: str | None = None) -> list[str]:
    """What the helper offers for `line` (the last word is the one completed)."""
    words = shlex.split(line)
    if cur is not None:
        words.append(cur)
    elif line.endswith(" "):
        words.append("")
    kind, found = complete(shell, words, len(words) - 1)
    assert kind == "values"
    return found


@pytest.fixture
def data(sample_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTFIT_FILE", str(sample_file))
    return sample_file


def test_commands_come_from_the_parser() -> None:
    """Every command the parser has is offered, and nothing else."""
    assert values("clientfit ") == list(COMMANDS)
    assert values("clientfit st") == ["status"]
    assert "completion:print a shell's tab completion script" in values("clientfit ", "zsh")


def test_options_of_the_command_typed() -> None:
    assert values("clientfit --") == ["--help", "--file", "--demo", "--version"]
    assert values("clientfit log acme x --") == ["--help", "--kind", "--severity", "--minutes",
                                                  "--at"]
    assert "--severity\t1 minor, 2 real, 3 serious (default 1)" in values(
        "clientfit log acme x --", "fish")


def test_kinds_after_kind() -> None:
    assert values("clientfit log acme x --kind ") == list(KINDS)
    assert values("clientfit log acme x --kind sc") == ["scope-creep"]
    assert values("clientfit log acme x --kind=sc", "fish") == ["--kind=scope-creep"]
    # bash splits `--kind=sc` into three words; it replaces only what follows the `=`
    assert complete("bash", ["clientfit", "log", "a", "x", "--kind", "=", "sc"], 6) == (
        "values", ["scope-creep"])
    assert complete("bash", ["clientfit", "log", "a", "x", "--kind", "="], 5) == (
        "values", list(KINDS))
    assert complete("bash", ["clientfit", "log", "a", "x=", "--k"], 4) == ("values", ["--kind"])


def test_choices_of_a_positional() -> None:
    assert values("clientfit completion ") == ["bash", "zsh", "fish"]


def test_client_ids_from_the_data_file(data: Path) -> None:
    assert values("clientfit log ac") == ["acme"]
    assert values("clientfit log ") == SAMPLE_IDS
    assert values("clientfit status ") == SAMPLE_IDS
    assert values("clientfit decide p") == ["pixel-fox"]
    assert values("clientfit log acme ") == []           # the note: nothing to offer
    assert values("clientfit log ac", "fish") == ["acme\tACME Corp"]
    assert values("clientfit log ac", "zsh") == ["acme:ACME Corp"]


def test_clients_after_an_option_named_client(data: Path) -> None:
    assert values("clientfit export --csv --client gec") == ["gecko"]
    assert values("clientfit export --client=gec", "fish") == ["--client=gecko\tGecko Labs"]


def test_a_client_by_the_start_of_its_name(data: Path) -> None:
    assert values("clientfit log Harb") == ["harbor"]
    assert values("clientfit log", cur="'north") == ["northwind"]   # an open quote


def test_the_file_named_on_the_line(tmp_path: Path, sample_file: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[clients.zeta]\nname = "Zeta"\n[clients.zulu]\nname = "Zulu"\n')
    assert values(f"clientfit --file {other} log ") == ["zeta", "zulu"]
    assert values(f"clientfit --file={other} log z") == ["zeta", "zulu"]
    assert complete("bash", ["clientfit", "--file", "=", str(other), "log", "zu"], 5)[1] == ["zulu"]
    assert values(f"CLIENTFIT_FILE={other} clientfit status ") == ["zeta", "zulu"]
    monkeypatch.setenv("CLIENTFIT_FILE", str(sample_file))
    assert values(f"clientfit --file {other} log z") == ["zeta", "zulu"]
    assert values("clientfit log z") == []


def test_home_and_variables_in_the_file_named(tmp_path: Path) -> None:
    (Path.home() / "mine.toml").write_text('[clients.yak]\nname = "Yak"\n')
    assert values("clientfit --file ~/mine.toml log ") == ["yak"]
    assert values("clientfit --file $HOME/mine.toml log ") == ["yak"]


def test_no_file_no_clients_and_none_created() -> None:
    """The default file is not created by a completion; a broken file offers nothing."""
    assert values("clientfit log a") == []
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "clientfit").exists()


def test_an_invalid_file_offers_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[clients.x\n")
    assert values(f"clientfit --file {bad} log ") == []


def test_paths_are_left_to_the_shell() -> None:
    assert complete("bash", ["clientfit", "--file", ""], 2) == ("files", [])
    assert complete("zsh", ["clientfit", "--file=sa"], 1) == ("files", [])
    assert complete("bash", ["clientfit", "import", "sh"], 2) == ("files", [])
    assert complete("bash", ["clientfit", "merge", "a", ""], 3) == ("files", [])


def test_after_double_dash_no_options(data: Path) -> None:
    assert values("clientfit log -- ") == SAMPLE_IDS


def helper(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([os.path.join(BIN, "clientfit"), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_the_hidden_helper_as_a_process(data: Path) -> None:
    r = helper("__complete", "bash", "2", "clientfit", "log", "gec")
    assert (r.returncode, r.stdout, r.stderr) == (0, "values\ngecko\n", "")
    assert helper("__complete", "nosuchshell").returncode == 1
    assert "__complete" not in helper("--help").stdout


def test_the_helper_is_not_loaded_by_log(sample_file: Path) -> None:
    """`log` imports nothing that completion needs."""
    code = ("import os, sys\n"
            f"sys.argv = ['clientfit', '--file', {str(sample_file)!r}, 'log', 'acme', 'x']\n"
            "_exit = os._exit\n"
            "def report(code):\n"
            "    print('MODULES', *sorted(sys.modules), flush=True)\n"
            "    _exit(code)\n"
            "os._exit = report\n"
            "from clientfit_tui.launch import entry\n"
            "entry()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "CLIENTFIT_NOW": "2026-11-27T10:00:00"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("logged")
    loaded = set(r.stdout.split("MODULES ")[1].split())
    assert "clientfit_tui.cli.log" in loaded
    assert not loaded & {"clientfit_tui.cli.complete", "clientfit_tui.cli.completion",
                         "clientfit_tui.cli.version", "importlib.metadata", "shlex", "platform"}


def test_completion_prints_each_script() -> None:
    for shell in ("bash", "zsh", "fish"):
        r = helper("completion", shell)
        assert r.returncode == 0 and "__complete" in r.stdout and r.stderr == ""
    r = helper("completion", "tcsh")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_completion_needs_no_data_file() -> None:
    r = helper("completion", "bash", env={"CLIENTFIT_FILE": "/nonexistent/clients.toml"})
    assert r.returncode == 0
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "clientfit").exists()


def shell_env(data: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "CLIENTFIT_FILE": str(data)}


def need(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    return found


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_scripts_are_valid_syntax(shell: str) -> None:
    exe = need(shell)
    script = helper("completion", shell).stdout
    r = subprocess.run([exe, "-n"], input=script, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def bash_complete(words: list[str], data: Path) -> list[str]:
    """Run the bash script's function as bash's completion would, and return COMPREPLY."""
    exe = need("bash")
    cword = len(words) - 1
    script = (f'eval "$(clientfit completion bash)"\n'
              f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={cword}\n"
              f'COMP_LINE={shlex.quote(" ".join(words))}; COMP_POINT=${{#COMP_LINE}}\n'
              '_clientfit clientfit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n'
              "complete -p clientfit\n")
    r = subprocess.run([exe, "--norc", "-c", script], capture_output=True, text=True,
                       env=shell_env(data), timeout=60)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[-1] == "complete -F _clientfit clientfit"
    return [x for x in lines[:-1] if x]


def test_bash_completes_for_real(data: Path) -> None:
    assert bash_complete(["clientfit", "log", "ac"], data) == ["acme"]
    assert bash_complete(["clientfit", "st"], data) == ["status"]
    assert bash_complete(["clientfit", "log", "acme", "x", "--kind", "sc"], data) == ["scope-creep"]
    assert bash_complete(["clientfit", "log", "acme", "x", "--kind", "=", "la"], data) == [
        "late-payment"]
    assert bash_complete(["clientfit", "status", ""], data) == SAMPLE_IDS


def test_fish_completes_for_real(data: Path) -> None:
    exe = need("fish")
    script = ("clientfit completion fish | source\n"
              "complete -C'clientfit log ac'\n"
              "complete -C'clientfit log acme x --kind sc'\n"
              "complete -C'clientfit st'\n")
    r = subprocess.run([exe, "--no-config", "-c", script], capture_output=True, text=True,
                       env=shell_env(data), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["acme\tACME Corp", "scope-creep", "status\teach client's state"]


@pytest.mark.e2e
def test_bash_after_one_line_in_bashrc(term_factory, data: Path) -> None:
    """A person's bash: one line in ~/.bashrc, then `clientfit log ac<TAB>`."""
    need("bash")
    Path.home().joinpath(".bashrc").write_text("PS1='$ '\n"
                                               'eval "$(clientfit completion bash)"\n')
    t = term_factory("bash -i", PATH=shell_env(data)["PATH"], CLIENTFIT_FILE=str(data))
    t.wait_for("$")
    t.type("clientfit log ac")
    t.send("Tab")
    t.type('"late again" --kind la')    # the screen drops a trailing space: type on
    t.wait_for('clientfit log acme "late again" --kind la')
    t.send("Tab")
    t.type("#")
    t.wait_for("--kind late-payment #")
    t.send("Enter")
    t.wait_for("logged late-payment")


@pytest.mark.e2e
def test_zsh_after_one_line_in_zshrc(term_factory, data: Path, tmp_path: Path) -> None:
    need("zsh")
    (tmp_path / ".zshrc").write_text('autoload -Uz compinit && compinit -u\n'
                                     'eval "$(clientfit completion zsh)"\nPS1="%% "\n')
    t = term_factory("zsh -i", PATH=shell_env(data)["PATH"], CLIENTFIT_FILE=str(data),
                     ZDOTDIR=str(tmp_path))
    t.wait_for("%")
    t.type("clientfit decide gec")
    t.send("Tab")
    t.type("#")
    t.wait_for("clientfit decide gecko #")
    t.send("C-u")
    t.type("clientfit sta")
    t.send("Tab")
    t.type("#")
    t.wait_for("clientfit status #")
