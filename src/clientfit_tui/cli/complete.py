"""`clientfit __complete SHELL CWORD WORD...`: what the shell completion scripts ask.

Hidden (the scripts of `clientfit completion` call it), and reached before
anything else is imported (see `launch`): a `log` never pays for it.

The words are the command line as the shell split it, the one being completed
at index CWORD (missing when it is empty). The answer is one line, `values` or
`files` (let the shell complete a path), then one candidate a line; for zsh and
fish a candidate may carry a description after a tab.

Commands and options are read from the argparse parser, so a new command or
option completes without a change here. A positional argument named `client`
completes client ids from the data file (chosen as the command would choose it:
`--file` typed earlier on the line, a `CLIENTFIT_FILE=...` before the command,
`$CLIENTFIT_FILE`, else the default); one with choices completes its choices.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable

from .args import default_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..store.store import Store

SHELLS = ("bash", "zsh", "fish")
_ENV = "CLIENTFIT_FILE="
DESCRIBED_LIMIT = 200
"""Up to this many client candidates are described by name (beyond, ids alone)."""


class Context:
    """Where on the command line the word being completed stands."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        """The parser of the command typed (the top one before a command)."""
        self.command: str | None = None
        self.positionals = 0
        """Positional arguments of the command typed before the word."""
        self.wants: argparse.Action | None = None
        """The option whose value the word is."""
        self.file: str | None = None
        """The data file named by `--file` on the line."""
        self.only_positionals = False


def main(argv: list[str]) -> int:
    """Print the candidates for a command line; exit 0 (1 for a malformed request)."""
    if len(argv) < 2 or argv[0] not in SHELLS or not argv[1].isdigit():
        from ..i18n import _

        print(_("usage: clientfit __complete bash|zsh|fish CWORD WORD..."), file=sys.stderr)
        return 1
    shell, cword, words = argv[0], int(argv[1]), argv[2:]
    try:
        kind, found = complete(shell, words, cword)
    except Exception:  # a completion never shows the user a traceback
        kind, found = "values", []
    out = [kind, *found]
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()
    return 0


def complete(shell: str, words: list[str], cword: int) -> tuple[str, list[str]]:
    """`("values", candidates)` or `("files", [])` for the word at `cword`."""
    words, cword, env_file = _without_assignments(words, cword)
    before = _joined(words[1:cword])
    cur = words[cword] if cword < len(words) else ""
    if shell == "bash" and before and before[-1].startswith("-") and before[-1].endswith("="):
        before[-1] += cur  # bash split `--kind=sc` at the `=`: complete what follows it
        cur = before.pop()
    elif shell == "bash" and cur == "=" and before:
        cur = before.pop() + "="
    cur = _unquoted(cur)
    from .parser import build

    ctx = _walk(build(), before)
    prefix = ""
    if ctx.wants is None and cur.startswith("--") and "=" in cur and not ctx.only_positionals:
        opt, _, cur = cur.partition("=")
        ctx.wants = _option(ctx.parser, opt)
        if ctx.wants is None or ctx.wants.nargs == 0:
            return "values", []
        prefix = "" if shell == "bash" else opt + "="
    if ctx.wants is not None:
        return _values(ctx.wants, cur, prefix, shell, lambda: _data_file(ctx.file, env_file))
    if cur.startswith("-") and not ctx.only_positionals:
        return "values", _options(ctx.parser, cur, shell)
    if ctx.command is None:
        return "values", _commands(ctx.parser, cur, shell)
    action = _positional(ctx.parser, ctx.positionals)
    if action is None:
        return "values", []
    return _values(action, cur, "", shell, lambda: _data_file(ctx.file, env_file))


def _without_assignments(words: list[str], cword: int) -> tuple[list[str], int, str | None]:
    """The words from the command on (`VAR=value clientfit ...`), and CLIENTFIT_FILE's
    value when it was set on the line."""
    env_file = None
    while len(words) > 1 and cword > 0 and "=" in words[0] and \
            words[0].split("=", 1)[0].isidentifier():
        if words[0].startswith(_ENV):
            env_file = _unquoted(words[0][len(_ENV):])
        words, cword = words[1:], cword - 1
    return words, cword, env_file


def _joined(words: list[str]) -> list[str]:
    """bash splits `--kind=x` into `--kind`, `=`, `x`: join them back."""
    out: list[str] = []
    for w in words:
        if out and (w == "=" or out[-1].endswith("=")) and out[-1].startswith("-"):
            out[-1] += w
        else:
            out.append(w)
    return out


def _unquoted(word: str) -> str:
    """A word as typed (`'my file'`, `~/x`) as the program would receive it."""
    if word[:1] in ("'", '"'):
        q = word[0]
        word = word[1:-1] if len(word) > 1 and word.endswith(q) else word[1:]
    elif "\\" in word:
        word = word.replace("\\ ", " ")
    return word


def _walk(top: argparse.ArgumentParser, before: list[str]) -> Context:
    ctx = Context(top)
    for w in [_unquoted(w) for w in before]:
        if ctx.wants is not None:  # this word is the value of the option before it
            if "--file" in ctx.wants.option_strings:
                ctx.file = w
            ctx.wants = None
            continue
        if w == "--" and not ctx.only_positionals:
            ctx.only_positionals = True
            continue
        if w.startswith("-") and len(w) > 1 and not ctx.only_positionals:
            opt, eq, value = w.partition("=")
            action = _option(ctx.parser, opt)
            if action is not None and action.nargs != 0:
                if eq:
                    if "--file" in action.option_strings:
                        ctx.file = value
                else:
                    ctx.wants = action
            continue
        if ctx.command is None:
            sub = _subparsers(ctx.parser)
            if sub is not None and w in sub.choices:
                ctx.command, ctx.parser = w, sub.choices[w]
            continue
        ctx.positionals += 1
    return ctx


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[
        argparse.ArgumentParser] | None:
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            return a
    return None


def _option(parser: argparse.ArgumentParser, opt: str) -> argparse.Action | None:
    return parser._option_string_actions.get(opt)


def _positional(parser: argparse.ArgumentParser, n: int) -> argparse.Action | None:
    """The action that takes the command's positional argument number `n` (from 0)."""
    i = 0
    for a in parser._actions:
        if a.option_strings or isinstance(a, argparse._SubParsersAction):
            continue
        if a.nargs in ("*", "+", argparse.REMAINDER):
            return a
        take = a.nargs if isinstance(a.nargs, int) else 1
        if n < i + take:
            return a
        i += take
    return None


def _described(shell: str, value: str, about: str | None) -> str:
    about = " ".join((about or "").split())
    if shell == "bash" or not about:
        return value
    if shell == "zsh":
        return value.replace("\\", "\\\\").replace(":", "\\:") + ":" + about
    return f"{value}\t{about}"


def _help(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    text = action.help if action.help and action.help != argparse.SUPPRESS else ""
    try:
        return text % {"prog": parser.prog, "default": action.default}
    except (KeyError, TypeError, ValueError):
        return text


def _options(parser: argparse.ArgumentParser, cur: str, shell: str) -> list[str]:
    out = []
    for a in parser._actions:
        if a.help == argparse.SUPPRESS:
            continue
        for opt in a.option_strings:
            if opt.startswith("--") and opt.startswith(cur):
                out.append(_described(shell, opt, _help(a, parser)))
    return out


def _commands(parser: argparse.ArgumentParser, cur: str, shell: str) -> list[str]:
    sub = _subparsers(parser)
    if sub is None:
        return []
    helps = {c.dest: c.help for c in sub._choices_actions}
    return [_described(shell, name, helps.get(name)) for name in sub.choices
            if name.startswith(cur)]


def _values(action: argparse.Action, cur: str, prefix: str, shell: str,
            data_file: Callable[[], str | None]) -> tuple[str, list[str]]:
    """The values an option or positional takes: client ids (`client`), its choices,
    or a path (`file`, or a metavar PATH, FILE or FILE.ext)."""
    if action.dest == "client":
        return "values", [prefix + c for c in _clients(data_file(), cur, shell)]
    if action.choices is not None:
        return "values", [prefix + str(c) for c in action.choices if str(c).startswith(cur)]
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    from ..i18n import _

    if action.dest == "file" or metavar.split(".")[0] in ("PATH", "FILE", _("PATH"), _("FILE")):
        return "files", []
    return "values", []


def _data_file(typed: str | None, env_file: str | None) -> str | None:
    """The data file a command would read, as the line so far names it; None: none."""
    for p in (typed, env_file, os.environ.get("CLIENTFIT_FILE")):
        if p:
            return os.path.expanduser(os.path.expandvars(p))
    p = default_path()
    return p if os.path.exists(p) else None  # never created by a completion


def _clients(path: str | None, cur: str, shell: str) -> list[str]:
    """Client ids starting with `cur`, else those whose name does (case aside)."""
    if path is None or not os.path.isfile(path):
        return []
    from ..store.store import Store, StoreError

    store = Store(path)
    try:
        return _matching(store, cur, shell)
    except (StoreError, OSError, ValueError):  # a file that cannot be read: no candidates
        return []


def _matching(store: Store, cur: str, shell: str) -> list[str]:
    snap = store.load(data=False)
    low = cur.casefold()
    latest = snap.latest_table()
    ids: Iterable[str] = latest if latest is not None and not snap.has_data else snap.data.clients
    hits = [cid for cid in ids if cid.casefold().startswith(low)]
    names: dict[str, str] = {}
    if not hits and cur:  # by name: every client's name is needed
        data = snap.data if snap.has_data else store.load(data=True).data
        names = {cid: c.name for cid, c in data.clients.items()}
        hits = [cid for cid, name in names.items() if name.casefold().startswith(low)]
    if shell == "bash":
        return [_bash_word(cid) for cid in hits]
    if not names and snap.has_data:
        names = {cid: c.name for cid, c in snap.data.clients.items()}
    out = []
    for n, cid in enumerate(hits):
        if cid not in names and n < DESCRIBED_LIMIT:
            raw = snap.client_raw(cid) or {}
            name = raw.get("name")
            names[cid] = name if isinstance(name, str) else ""
        out.append(_described(shell, cid, names.get(cid)))
    return out


def _bash_word(word: str) -> str:
    """A word as bash must insert it (an id with a space or a quote in it, quoted)."""
    if all(ch.isalnum() or ch in "-_.@+%," for ch in word):
        return word
    import shlex

    return shlex.quote(word)
