"""A real SSH session: sshd on 127.0.0.1 started by the test, `ssh -t`, keys typed in tmux."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CLIENTFIT

pytestmark = pytest.mark.e2e

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """An sshd of the test's own: loopback only, its own host key, key login only."""
    if SSHD is None or shutil.which("ssh") is None:
        pytest.skip("openssh-server is not installed (apt-get install openssh-server); "
                    ".ci/run installs it")
    d = tmp_path / "ssh"
    d.mkdir(mode=0o700)
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / name)],
                       check=True)
    (d / "authorized_keys").write_text((d / "client.pub").read_text())
    os.chmod(d / "authorized_keys", 0o600)
    port = free_port()
    user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True,
                                                    text=True).stdout.strip()
    (d / "sshd_config").write_text(f"""
Port {port}
ListenAddress 127.0.0.1
HostKey {d / 'host'}
PidFile {d / 'sshd.pid'}
AuthorizedKeysFile {d / 'authorized_keys'}
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AllowUsers {user}
PermitUserEnvironment no
AcceptEnv LANG
""")
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation folder some builds need
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(d / "sshd_config")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read() if proc.stdout else ""
                proc.kill()
                pytest.skip(f"sshd could not start here: {out.strip()[:300]}")
            time.sleep(0.1)
    try:
        yield port, d
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_log_an_incident_over_ssh(term_factory, sshd: tuple[int, Path],
                                  sample_file: Path) -> None:
    """Over `ssh -t`: open the app, log an incident, quit; the file has it, the terminal is
    given back."""
    port, d = sshd
    remote = (f"env CLIENTFIT_NOW=2026-11-27T10:00:00 LANG=C.UTF-8 XDG_CACHE_HOME={d / 'cache'} "
              f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    ssh = (f"ssh -t -p {port} -i {d / 'client'} -o StrictHostKeyChecking=no "
           f"-o UserKnownHostsFile={d / 'known_hosts'} -o LogLevel=ERROR 127.0.0.1 "
           f"{shlex.quote(remote)}")
    t = term_factory(ssh, TERM="xterm-256color")
    t.wait_for("ACME", timeout=30)
    t.send("n")
    t.wait_for("Log an incident")
    t.send("Tab", "l", "2", "Tab", "Tab")  # the Tab after a pick is the pick's own move
    t.type("30")
    t.send("Tab")
    t.type("over ssh: still no payment")
    t.send("Enter")
    t.wait_for_file(sample_file, "over ssh: still no payment")
    t.send("q")
    t.wait_for("EXIT=0", timeout=20)
    assert not t.alternate_screen()
    inc = tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"][-1]
    assert (inc["kind"], inc["severity"], inc["minutes"]) == ("late-payment", 2, 30)
