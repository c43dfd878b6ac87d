"""Over real SSH: a throw-away OpenSSH server on 127.0.0.1 with a ``restrict,pty,command=``
key, the real ``ssh -tt`` client in tmux at 80x24, a counting TCP proxy between them.

Measured (printed, and written as JSON to ``$DOSSIER_SSH_REPORT`` when set): the bytes
the client receives per search keystroke and the time from a keystroke to its results
on the screen at the client's end of the link.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")


def _install_openssh() -> None:
    """CI runs as root on a fresh Debian: install the server and client if missing."""
    if SSHD.exists() and shutil.which("ssh") and shutil.which("ssh-keygen"):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=300,
                   check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "openssh-server", "openssh-client"],
                   env=env, capture_output=True, timeout=600, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CountingProxy:
    """A loopback TCP proxy that counts the bytes sshd sends to the client, with the time
    of the last one (how long the screen kept changing after a keystroke)."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.down = 0  # server -> client
        self.up = 0  # client -> server
        self.last_down = time.monotonic()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for a, b, down in ((client, upstream, False), (upstream, client, True)):
                threading.Thread(target=self._pipe, args=(a, b, down), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, down: bool) -> None:
        try:
            while data := src.recv(65536):
                with self.lock:
                    if down:
                        self.down += len(data)
                        self.last_down = time.monotonic()
                    else:
                        self.up += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def counters(self) -> tuple[int, float]:
        with self.lock:
            return self.down, self.last_down

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory, corpus_env: dict[str, Path],
         dossier_bin: Path) -> Iterator[dict]:
    """A running sshd whose only key runs ``dossier --read-only`` over the test corpus,
    behind a counting proxy."""
    _install_openssh()
    missing = [name for name, ok in (("/usr/sbin/sshd", SSHD.exists()),
                                     ("ssh", shutil.which("ssh")),
                                     ("ssh-keygen", shutil.which("ssh-keygen")),
                                     ("tmux", shutil.which("tmux")),
                                     (str(dossier_bin), dossier_bin.exists())) if not ok]
    if missing:
        pytest.skip(f"{', '.join(missing)} not found and could not be installed "
                    "(as root: apt-get install openssh-server openssh-client tmux)")
    base = tmp_path_factory.mktemp("sshd")
    for key in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-f", str(base / key)],
                       check=True, capture_output=True)
    forced = (f"{dossier_bin} --read-only --corpus {corpus_env['corpus']} "
              f"--index {corpus_env['index']} --no-mouse")
    assert '"' not in forced and "\\" not in forced
    pub = (base / "client_key.pub").read_text().strip()
    (base / "authorized_keys").write_text(f'restrict,pty,command="{forced}" {pub}\n')
    port = _free_port()
    user = getpass.getuser()
    (base / "sshd_config").write_text("\n".join([
        f"Port {port}",
        "ListenAddress 127.0.0.1",
        f"HostKey {base / 'host_key'}",
        f"AuthorizedKeysFile {base / 'authorized_keys'}",
        f"PidFile {base / 'sshd.pid'}",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin yes" if os.geteuid() == 0 else "PermitRootLogin no",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "AcceptEnv LANG LC_* COLORTERM",
        "LogLevel VERBOSE",
        "",
    ]))
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # the privilege separation dir
    log = open(base / "sshd.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(base / "sshd_config")],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    if proc.poll() is not None:
        log.close()
        pytest.fail("sshd did not start:\n" + (base / "sshd.log").read_text(errors="replace"))
    proxy = CountingProxy(port)
    ssh = (f"ssh -tt -i {base / 'client_key'} -p {proxy.port} -o StrictHostKeyChecking=no"
           f" -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o IdentitiesOnly=yes"
           f" -F /dev/null -E {base / 'ssh.log'} -v {user}@127.0.0.1")
    yield {"base": base, "proc": proc, "proxy": proxy, "ssh": ssh, "log": base / "ssh.log"}
    proxy.close()
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _settled(proxy: CountingProxy, since: float | None = None, quiet: float = 0.4,
             timeout: float = 5.0) -> None:
    """Wait for the first byte from sshd after *since* (the keystroke), then until it has
    sent nothing for *quiet* seconds (longer than the search debounce, 0.12 s)."""
    deadline = time.monotonic() + timeout
    while since is not None and time.monotonic() < deadline:
        if proxy.counters()[1] > since:
            break
        time.sleep(0.005)
    while time.monotonic() < deadline:
        _down, last = proxy.counters()
        if time.monotonic() - last >= quiet:
            return
        time.sleep(0.02)


def _snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for root in roots:
        for p in root.rglob("*"):
            st = p.lstat()
            out[str(p)] = (st.st_mtime_ns, st.st_size)
    return out


@pytest.mark.e2e
def test_search_open_jump_quit_over_ssh(sshd, tmux, corpus_env) -> None:
    proxy: CountingProxy = sshd["proxy"]
    before = _snapshot(corpus_env["corpus"], corpus_env["index"])
    # The client asks for a command of its own: the forced command runs regardless.
    t0 = time.monotonic()
    session = tmux(f"{sshd['ssh']} index --rebuild; echo SSH_EXIT=$?; sleep 30",
                   env={"TERM": "xterm-256color"})
    session.wait_for("hits ·", timeout=20)
    startup = time.monotonic() - t0
    _settled(proxy)

    # Search as you type, one keystroke at a time: bytes and time until the screen
    # stops changing at the client, and until the final results are on it.
    per_key: list[dict] = []
    for i, ch in enumerate("quokka"):
        down0, _ = proxy.counters()
        sent = time.monotonic()
        session.keys(ch, literal=True)
        if i == len("quokka") - 1:
            session.wait_for("3 hits", timeout=10)
            on_screen = time.monotonic() - sent
        _settled(proxy, since=sent)
        down1, last = proxy.counters()
        per_key.append({"key": ch, "bytes": down1 - down0,
                        "settle_ms": round(max(0.0, last - sent) * 1000, 1)})
    screen = session.capture()
    assert "Quokka sightings rise in Perth" in screen
    assert "[/b] [@click=app.quit]x[/]" in screen  # the hostile title, literally
    assert "Traceback" not in screen

    # Open an article and jump between its matches.
    session.keys("Enter")  # to the results
    session.wait_for("q Quit")
    session.keys("Enter")
    screen = session.wait_for("c Copy", timeout=10)
    counter = re.search(r"match (\d+)/(\d+)", screen)
    assert counter, screen
    total = int(counter.group(2))
    assert total >= 2
    session.keys("n")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        now = re.search(r"match (\d+)/(\d+)", session.capture())
        if now and now.group(1) != counter.group(1):
            break
        time.sleep(0.05)
    assert now and int(now.group(1)) == int(counter.group(1)) % total + 1, session.capture()

    # Quit: the forced command ends, so does the SSH session, with exit code 0.
    session.keys("q")
    screen = session.wait_for("SSH_EXIT=", timeout=10)
    assert "SSH_EXIT=0" in screen, screen
    log = sshd["log"].read_text(errors="replace")
    transferred = re.findall(r"Transferred: sent (\d+), received (\d+) bytes", log)
    assert transferred, log[-2000:]
    assert _snapshot(corpus_env["corpus"], corpus_env["index"]) == before  # read-only

    bytes_per_key = [k["bytes"] for k in per_key]
    report = {
        "terminal": "80x24 xterm-256color, --no-mouse, over ssh to 127.0.0.1",
        "startup_to_results_s": round(startup, 2),
        "per_keystroke": per_key,
        "bytes_per_keystroke_median": statistics.median(bytes_per_key),
        "bytes_per_keystroke_max": max(bytes_per_key),
        "keystroke_to_results_on_screen_ms": round(on_screen * 1000, 1),
        "keystroke_to_screen_settled_ms_median": statistics.median(
            k["settle_ms"] for k in per_key),
        "ssh_transferred_session": {"sent": int(transferred[-1][0]),
                                    "received": int(transferred[-1][1])},
    }
    print("\nSSH figures:", json.dumps(report, indent=1))
    if os.environ.get("DOSSIER_SSH_REPORT"):
        Path(os.environ["DOSSIER_SSH_REPORT"]).write_text(json.dumps(report, indent=1) + "\n")


@pytest.mark.e2e
def test_connection_dropped_mid_search(sshd, tmux, corpus_env) -> None:
    """The client vanishes while a search runs: dossier on the server exits (SIGHUP from
    the closed pty), and the index opens and answers afterwards."""
    from index.search import Index

    sshd_pid = sshd["proc"].pid
    before = set(_dossiers(sshd_pid))
    session = tmux(f"{sshd['ssh']}; echo SSH_EXIT=$?; sleep 30",
                   env={"TERM": "xterm-256color"})
    session.wait_for("hits ·", timeout=20)
    ours = set(_dossiers(sshd_pid)) - before
    assert ours, "no dossier process under sshd"
    client = session.find_pid(b"ssh")
    session.keys("quokk", literal=True)
    os.kill(client, signal.SIGKILL)  # the connection drops, no goodbye
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and any(session.alive(p) for p in ours):
        time.sleep(0.05)
    assert not any(session.alive(p) for p in ours), "dossier outlived its SSH connection"
    ix = Index(corpus_env["index"])
    try:
        assert ix.search("quokka").total >= 3
    finally:
        ix.close()


@pytest.mark.e2e
@pytest.mark.parametrize("opts, command", [(["-T"], []), ([], ["index", "--rebuild"]),
                                           (["-T"], ["sh"])])
def test_no_terminal_over_ssh(sshd, opts: list[str], command: list[str]) -> None:
    """``ssh -T host`` and ``ssh host index --rebuild`` (the forced command runs dossier
    with no pty): one line, exit 2, nothing else written. Before, the TUI drew into the
    channel and, once the client was gone, spun at up to 100% CPU under PID 1."""
    from cli.main import NO_TERMINAL

    argv = shlex.split(sshd["ssh"].replace(" -tt ", " "))
    before = set(_dossiers(sshd["proc"].pid))
    proc = subprocess.run([argv[0], *opts, *argv[1:], *command], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=30)
    assert proc.returncode == 2, proc.stderr[-500:]
    assert proc.stdout == b""
    assert proc.stderr.decode().strip().splitlines()[-1] == f"dossier: {NO_TERMINAL}"
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and set(_dossiers(sshd["proc"].pid)) - before:
        time.sleep(0.05)
    assert not set(_dossiers(sshd["proc"].pid)) - before, "a dossier was left running"


def _dossiers(root: int) -> list[int]:
    """dossier processes below *root* (the sshd listener)."""
    from pathlib import Path as _P

    out = []
    for pid in _descendants(root):
        try:
            cmd = _P(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(part.endswith(b"/dossier") for part in cmd[:2]):
            out.append(pid)
    return out


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@pytest.mark.e2e
@pytest.mark.parametrize("term,extra_env", [
    ("xterm", ""), ("screen", ""), ("tmux-256color", ""), ("xterm-256color", "NO_COLOR=1 "),
    ("dumb", ""),
])
def test_terminal_types(tmux, dossier_bin, corpus_env, term, extra_env) -> None:
    """Common TERM values (and NO_COLOR) start the app and show results."""
    run = (f"env TERM={term} {extra_env}{shlex.quote(str(dossier_bin))} --read-only --no-mouse"
           f" --corpus {shlex.quote(str(corpus_env['corpus']))}"
           f" --index {shlex.quote(str(corpus_env['index']))} --query quokka")
    session = tmux(f"{run}; echo EXIT=$?; sleep 30")
    screen = session.wait_for("3 hits", timeout=15)
    assert "Quokka sightings rise in Perth" in screen and "Traceback" not in screen
    session.keys("Enter")
    session.wait_for("q Quit")
    session.keys("q")
    assert "EXIT=0" in session.wait_for("EXIT=", timeout=10)
