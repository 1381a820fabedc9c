"""The benchmark: clientfit's load, log and save paths beside the naive design and the floor.

    python bench/run.py                 # S, M and L (a few minutes: the naive baseline is slow)
    python bench/run.py --sizes S M --runs 5

Prints, per size, the median of several runs of each step, and ratios measured
side by side in the same run:

  (a) log warm / cold   `clientfit log` as a whole process (the installed command);
                        warm: the file is as clientfit last wrote it; cold: just
                        changed by hand
  (b) naive             a process doing tomlkit parse, append, dumps, atomic write
                        (on a copy of the file)
  (c) floor             a process that reads the file and atomically writes it back
  (d) first frame       `clientfit` start to the client list on screen, in tmux
                        (cold: no cache; warm: the second start)
  (e) save in app       one incident saved through the app's session
  (f) reload            the app noticing and reading an external change
  (g) peak RSS          of the app, started cold on the file
  (h), (i), (j) ...     each command of `READS` as a whole process, warm (run once
                        first, so that its cache holds the model)

Warm `log` runs alternate with the floor's, three times as many as the other
steps, and the naive runs are spread among them: a machine that is slower for a
while slows all three alike, and their ratios hold. Timings need tmux for (d)
and (g). The package is byte-compiled first, as an installed package is.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from gen import SIZES, generate  # noqa: E402

PY = sys.executable
_SCRIPT = Path(PY).with_name("clientfit")
CLIENTFIT = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "clientfit_tui"]
"""The installed `clientfit` command, as a person runs it."""
NOW = "2026-11-27T10:00:00"

NAIVE = r"""
import os, sys, tomlkit, datetime
p = sys.argv[1]
doc = tomlkit.parse(open(p, encoding="utf-8").read())
t = tomlkit.table()
t.update({"at": datetime.datetime(2026, 11, 27, 10, 0), "kind": "other", "note": "naive"})
doc["clients"]["client-0003"]["incidents"].append(t)
text = tomlkit.dumps(doc)
tmp = p + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    f.write(text); f.flush(); os.fsync(f.fileno())
os.replace(tmp, p)
"""

FLOOR = r"""
import os, sys
p = sys.argv[1]
with open(p, "rb") as f:
    b = f.read()
tmp = p + ".tmp"
fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, b); os.fsync(fd); os.close(fd)
os.replace(tmp, p)
"""


READS = [
    ("(h) `due`, warm", ["due"]),
    ("(i) `export --csv`, warm", ["export", "--csv"]),
    ("(j) `report` of one client, warm", ["report", "client-0003"]),
]
"""Commands that read the whole file, timed warm: (label, arguments after --file PATH)."""


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def median(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None
           ) -> float:
    out = []
    for _ in range(runs):
        if before:
            before()
        out.append(timed(fn))
    return statistics.median(out)




def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def touch_by_hand(p: Path) -> None:
    """An edit as a person makes one: a comment added at the end, a moment ago.

    clientfit does not build on a file changed by someone else less than a second
    ago (it may still be being written), so the edit is dated a second back.
    """
    with open(p, "a", encoding="utf-8") as f:
        f.write(f"# edited by hand {uuid.uuid4().hex[:6]}\n")
    t = time.time() - 1.1
    os.utime(p, (t, t))


def first_frame(p: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from launch to the client list drawn, and the app's peak RSS in MB."""
    mark = p.with_suffix(".frame")
    mark.unlink(missing_ok=True)
    sock = f"bench-{uuid.uuid4().hex[:6]}"
    exports = " ".join(f"{k}={v}" for k, v in {**env, "CLIENTFIT_FIRST_FRAME": str(mark)}.items()
                       if k in ("HOME", "PATH", "XDG_CACHE_HOME", "CLIENTFIT_NOW", "LANG",
                                "CLIENTFIT_FIRST_FRAME", "TERM"))
    cmd = f"env -i {exports} {' '.join(CLIENTFIT)} --file {p}"
    start = time.time()
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "80",
                    "-y", "24", cmd], check=True)
    try:
        deadline = time.monotonic() + 300
        while not mark.exists() or not mark.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("the app never drew its first frame")
            time.sleep(0.005)
        shown, rss = mark.read_text().split()
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL)
    return float(shown) - start, float(rss)


def in_app(p: Path, runs: int) -> tuple[float, float]:
    """(e) one save through the app's session; (f) a reload after an external change."""
    from clientfit_tui.session import Session
    from clientfit_tui.store import edit
    from clientfit_tui.store.store import Store

    session = Session(Store(p))
    session.load()
    saves = []
    for i in range(runs):
        change = edit.Append("client-0003", "incidents", {
            "at": datetime(2026, 11, 27, 10, 0), "kind": "other", "note": f"bench {i}"})
        saves.append(timed(lambda c=change: session.apply(c, "bench")))
    reloads = []
    for _ in range(max(1, runs // 2)):
        touch_by_hand(p)
        reloads.append(timed(session.poll))
    return statistics.median(saves), statistics.median(reloads)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=list(SIZES))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--naive-runs-l", type=int, default=1,
                    help="runs of the naive baseline on L (each takes most of a minute)")
    opts = ap.parse_args()
    compileall.compile_dir(str(ROOT / "src" / "clientfit_tui"), quiet=1)
    have_tmux = shutil.which("tmux") is not None
    work = Path(tempfile.mkdtemp(prefix="clientfit-bench-"))
    env = {**os.environ, "CLIENTFIT_NOW": NOW, "XDG_CACHE_HOME": str(work / "cache"),
           "HOME": str(work), "LANG": "C.UTF-8", "TERM": "xterm-256color"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows = []
    try:
        for size in opts.sizes:
            p = work / f"{size}.toml"
            p.write_text(generate(*SIZES[size]), encoding="utf-8")
            mb = p.stat().st_size / 1e6
            runs = opts.runs if size != "L" else max(3, opts.runs // 2)
            log = [*CLIENTFIT, "--file", str(p), "log", "client-0003", "bench"]
            run(log, env)  # the first write makes the cache: from here on, warm
            # the naive baseline works on a copy, so that the file stays as clientfit wrote it
            other = p.with_name(f"{size}-naive.toml")
            shutil.copyfile(p, other)
            naive_runs = opts.naive_runs_l if size == "L" else max(1, runs // 2)
            times: list[list[float]] = [[], [], []]
            for _ in range(naive_runs):  # each naive run amid warm and floor runs, in turn
                times[2].append(timed(lambda o=other: run([PY, "-c", NAIVE, str(o)], env)))
                for _ in range(max(1, runs * 3 // naive_runs)):
                    times[0].append(timed(lambda log=log: run(log, env)))
                    times[1].append(timed(lambda p=p: run([PY, "-c", FLOOR, str(p)], env)))
            warm, floor, naive = (statistics.median(t) for t in times)
            cold = median(lambda log=log: run(log, env), runs,
                          before=lambda p=p: touch_by_hand(p))
            ff_cold = ff_warm = rss = float("nan")
            if have_tmux:
                shutil.rmtree(work / "cache", ignore_errors=True)
                touch_by_hand(p)
                ff_cold, rss = first_frame(p, env)
                time.sleep(0.5)
                ff_warm = statistics.median(first_frame(p, env)[0] for _ in range(3))
            save, reload = in_app(p, runs)
            reads = []
            for _, words in READS:
                cmd = [*CLIENTFIT, "--file", str(p), *words]
                run(cmd, env)  # the first run caches the model
                reads.append(median(lambda cmd=cmd: run(cmd, env), runs))
            rows.append((size, mb, warm, cold, naive, floor, ff_cold, ff_warm, save, reload, rss,
                         reads))
            print(f"{size} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report(rows, opts.runs))


def report(rows: list[tuple], runs: int) -> str:
    ms = lambda s: f"{s * 1000:,.0f} ms" if s == s else "n/a"  # noqa: E731
    lines = [
        f"clientfit benchmark, {datetime.now():%Y-%m-%d}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; medians of up to {runs} runs",
        "",
        "| step | " + " | ".join(f"{r[0]} ({r[1]:.1f} MB)" for r in rows) + " |",
        "| --- |" + " --- |" * len(rows),
    ]

    def row(name: str, cells: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    row("(a) `log`, warm", [ms(r[2]) for r in rows])
    row("(a) `log`, cold (just edited by hand)", [ms(r[3]) for r in rows])
    row("(b) naive: tomlkit parse, append, dumps, write", [ms(r[4]) for r in rows])
    row("(c) floor: read and atomically write back", [ms(r[5]) for r in rows])
    row("(a) warm / (c) floor", [f"{r[2] / r[5]:.1f}x" for r in rows])
    row("(b) naive / (a) warm", [f"{r[4] / r[2]:.0f}x" for r in rows])
    row("(d) first frame, cold", [ms(r[6]) for r in rows])
    row("(d) first frame, warm", [ms(r[7]) for r in rows])
    row("(e) one edit saved in the app", [ms(r[8]) for r in rows])
    row("(f) reload after an external change", [ms(r[9]) for r in rows])
    row("(g) peak RSS of the app (cold start)", [f"{r[10]:.0f} MB" if r[10] == r[10] else "n/a"
                                                 for r in rows])
    for i, (label, _) in enumerate(READS):
        row(label, [ms(r[11][i]) for r in rows])
    return "\n".join(lines)


if __name__ == "__main__":
    main()
