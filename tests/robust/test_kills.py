"""Faults while indexing: SIGKILL, a concurrent reader, a second indexer, read-only
folders and a full disk.

The promise of ``index.build`` is that a build killed at any moment leaves
the previous index usable, and the next ``dossier index`` finishes the job
with nothing lost or duplicated. These tests hold it to that with real
processes and real signals:

- kill storms: a generated corpus changes between rounds (adds, changes,
  deletes); a ``dossier index`` child process is SIGKILLed after a seeded
  random delay. After every kill the index opens, answers, has no duplicate
  ids and holds *exactly* the old or the new state (one commit, atomic); the
  next ``dossier index`` then yields exactly the new state. 10 kills in the
  default run, 60 with ``-m slow``;
- a reader searching in a thread while another process indexes: no
  exception, no duplicate hit, fresh results once the commit lands;
- a second indexer gets the one-line "another dossier is indexing" message
  (exit 1) and ``--wait`` waits; a lock left by a killed builder is no obstacle;
- a read-only index folder and a full disk (real ones via a private mount
  namespace when ``unshare``/``mount`` work, and simulated ones that always
  run): one line, exit 1, the previous index still complete.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cli.main import main
from index.search import Index

CHILD = "import sys; from cli.main import main; sys.exit(main(sys.argv[1:]))"
WORDS = ("Kolonie Vogel Hecke Park Frühjahr Zählung Ornithologe Stadtrand Artenvielfalt Brut "
         "Nest Winter Futter Schwarm Beobachtung Bericht Stadt Verein Naturschutz Wiese").split()
VERSION_RE = re.compile(r"\bm(\d{4})v(\d+)\b")


# --- a corpus that knows what the index must hold ---------------------------------------------

class Corpus:
    """A folder of small generated articles and the state the index must reach.

    Each article carries a unique token ``m<number>v<version>``, so the
    version of every indexed article can be read back from its text.
    """

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.state: dict[str, int] = {}     # rel path -> version on disk
        self.next_no = 0
        root.mkdir(parents=True, exist_ok=True)

    def _write(self, no: int, version: int) -> str:
        rel = f"{no % 7:02d}/meldung-{no:04d}.txt"
        body = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(40, 90)))
        text = (f"Meldung {no:04d} Fassung {version}\n\n"
                f"Gemeinsam m{no:04d}v{version} {body}.\n\nZweiter Absatz: {body[:200]}.\n")
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        # a change must be visible to the size/mtime signature even within one tick
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + version * 1000 + 1))
        self.state[rel] = version
        return rel

    def add(self, n: int) -> None:
        """Add *n* new articles."""
        for _ in range(n):
            self._write(self.next_no, 1)
            self.next_no += 1

    def mutate(self, adds: int, changes: int, deletes: int) -> None:
        """Add, change and delete articles (a round of a kill storm)."""
        existing = sorted(self.state)
        for rel in self.rng.sample(existing, min(deletes, len(existing))):
            (self.root / rel).unlink()
            del self.state[rel]
        existing = sorted(self.state)
        for rel in self.rng.sample(existing, min(changes, len(existing))):
            no = int(rel.split("-")[-1][:4])
            self._write(no, self.state[rel] + 1)
        self.add(adds)


def indexed_state(index_dir: Path) -> tuple[dict[str, int], list[str]]:
    """``{rel: version}`` as the index holds it, and the ids (to check duplicates).

    Also checks the index answers a query, as a user would ask one.
    """
    ix = Index(index_dir)
    try:
        ids = ix.ids()
        state: dict[str, int] = {}
        for doc_id in ids:
            art = ix.article(doc_id)
            m = VERSION_RE.search(art.text)
            assert m, art.path
            state[art.path] = int(m.group(2))
        res = ix.search("Gemeinsam", limit=5)
        assert res.total == len(ids)
        return state, ids
    finally:
        ix.close()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``dossier ARGV`` in this process; returns exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def spawn_index(corpus: Path, index_dir: Path, *extra: str) -> subprocess.Popen[bytes]:
    """``dossier index`` in a child process (the thing that gets killed)."""
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, "index", "--corpus", str(corpus),
         "--index", str(index_dir), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def lock_path(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.lock"


# --- kill storms -------------------------------------------------------------------------------

def kill_storm(tmp_path: Path, capsys: pytest.CaptureFixture[str], tally: ModuleType,
               kills_wanted: int, seed: int) -> dict[str, Any]:
    """Run rounds until *kills_wanted* builders died by SIGKILL mid-run; check each."""
    rng = random.Random(seed)
    corpus = Corpus(tmp_path / "corpus", rng)
    index_dir = tmp_path / "index"
    corpus.add(250)
    t0 = time.monotonic()
    proc = spawn_index(corpus.root, index_dir)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    est = time.monotonic() - t0                    # a whole build, start-up included
    state, ids = indexed_state(index_dir)
    assert state == corpus.state and len(ids) == len(set(ids))

    figures = {"kills": 0, "finished_first": 0, "old_state": 0, "new_state": 0,
               "rebuild_rounds": 0, "rounds": 0}
    while figures["kills"] < kills_wanted:
        figures["rounds"] += 1
        assert figures["rounds"] < kills_wanted * 3, figures
        before = dict(corpus.state)
        corpus.mutate(adds=rng.randint(0, 40), changes=rng.randint(0, 40),
                      deletes=rng.randint(0, 30))
        rebuild = rng.random() < 0.3
        figures["rebuild_rounds"] += rebuild
        proc = spawn_index(corpus.root, index_dir, *(["--rebuild"] if rebuild else []))
        time.sleep(rng.uniform(0.05, 1.1) * est)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        if proc.returncode == -signal.SIGKILL:
            figures["kills"] += 1
            tally.add("kills survived")
        else:  # it finished before the signal (or between poll and kill)
            assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
            figures["finished_first"] += 1
        proc.stdout and proc.stdout.close()
        proc.stderr and proc.stderr.close()

        # The killed build left an index that opens, answers, and is all old or all new.
        state, ids = indexed_state(index_dir)
        assert len(ids) == len(set(ids)), "duplicate documents after a kill"
        if state == before:
            figures["old_state"] += 1
        else:
            assert state == corpus.state, "a kill left a mix of old and new documents"
            figures["new_state"] += 1

        # The next `dossier index` completes it: exactly the files on disk, nothing else.
        code, out, err = run_cli(capsys, "index", "--corpus", str(corpus.root),
                                 "--index", str(index_dir))
        assert code == 0, err
        state, ids = indexed_state(index_dir)
        assert len(ids) == len(set(ids))
        assert state == corpus.state
        leftovers = [p.name for p in index_dir.parent.iterdir()
                     if p.name.startswith(f"{index_dir.name}.")]
        assert not leftovers, leftovers
    return figures


def test_kill_storm(tmp_path: Path, capsys: pytest.CaptureFixture[str], tally: ModuleType) -> None:
    figures = kill_storm(tmp_path, capsys, tally, kills_wanted=10, seed=5)
    print(f"kill storm: {json.dumps(figures)}")


@pytest.mark.slow
def test_kill_storm_long(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         tally: ModuleType) -> None:
    figures = kill_storm(tmp_path, capsys, tally, kills_wanted=60, seed=int(time.time()))
    with capsys.disabled():
        print(f"\nkill storm (slow): {json.dumps(figures)}")


def test_stale_lock_from_killed_builder_is_recovered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A builder SIGKILLed while holding the lock leaves the lock file (with its pid)
    but not the lock: the kernel drops an ``flock`` with its holder."""
    corpus = Corpus(tmp_path / "corpus", random.Random(1))
    corpus.add(150)
    index_dir = tmp_path / "index"
    proc = spawn_index(corpus.root, index_dir)
    deadline = time.monotonic() + 30
    while not (lock_path(index_dir).exists() and lock_path(index_dir).read_text().strip()):
        assert time.monotonic() < deadline and proc.poll() is None, "builder never locked"
        time.sleep(0.01)
    proc.kill()
    proc.wait(timeout=30)
    assert lock_path(index_dir).read_text().strip() == str(proc.pid)
    code, out, err = run_cli(capsys, "index", "--corpus", str(corpus.root),
                             "--index", str(index_dir))
    assert code == 0, err
    state, _ = indexed_state(index_dir)
    assert state == corpus.state


# --- a second indexer ------------------------------------------------------------------------

SLOW_BUILDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from index.build import build_index

    def slow(done, total, rel):
        if done == 1:
            print("building", flush=True)
        time.sleep(float(sys.argv[3]))

    build_index([Path(sys.argv[1])], Path(sys.argv[2]), progress=slow)
    print("done", flush=True)
""")


def _slow_builder(corpus: Path, index_dir: Path, per_file: float) -> subprocess.Popen[str]:
    """A real build that holds the lock for a while (it sleeps per file), and says
    when it started building."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILDER, str(corpus), str(index_dir), str(per_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "building", proc.stderr and proc.stderr.read()
    return proc


def test_second_indexer_is_told_and_can_wait(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Corpus(tmp_path / "corpus", random.Random(2))
    corpus.add(60)
    index_dir = tmp_path / "index"
    loc = ["--corpus", str(corpus.root), "--index", str(index_dir)]
    assert run_cli(capsys, "index", *loc)[0] == 0
    corpus.mutate(adds=20, changes=0, deletes=0)
    proc = _slow_builder(corpus.root, index_dir, per_file=0.15)     # about 3 s of building
    try:
        code, out, err = run_cli(capsys, "index", *loc)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "another dossier is indexing" in err, err
        assert f"pid {proc.pid}" in err
        # reading is not blocked by a running indexer
        code, out, _ = run_cli(capsys, "search", "Gemeinsam", "--json", "--limit", "500", *loc)
        assert code == 0 and len(out.splitlines()) in (60, 80)
        t0 = time.monotonic()
        code, out, err = run_cli(capsys, "index", "--wait", "60", *loc)
        waited = time.monotonic() - t0
        assert code == 0, err
        # It ran after the other's commit (the lock is released as that build returns,
        # a moment before its process exits): nothing was left for it to add.
        assert "0 added" in out and "80 unchanged" in out, out
        assert proc.wait(timeout=30) == 0
        assert waited > 0.2
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == 0
    state, _ = indexed_state(index_dir)
    assert state == corpus.state


# --- a reader while another process indexes -------------------------------------------------

@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_reader_while_indexing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               rebuild: bool) -> None:
    corpus = Corpus(tmp_path / "corpus", random.Random(3))
    corpus.add(200)
    index_dir = tmp_path / "index"
    loc = ["--corpus", str(corpus.root), "--index", str(index_dir)]
    assert run_cli(capsys, "index", *loc)[0] == 0
    old_n = len(corpus.state)
    corpus.mutate(adds=60, changes=30, deletes=20)
    new_token = next(f"m{int(r.split('-')[-1][:4]):04d}v{v}"
                     for r, v in sorted(corpus.state.items()) if v > 1)
    new_n = len(corpus.state)

    ix = Index(index_dir)
    errors: list[BaseException] = []
    totals: set[int] = set()
    searches = 0
    stop = threading.Event()

    def read() -> None:
        nonlocal searches
        try:
            while not stop.is_set():
                res = ix.search("Gemeinsam", limit=1000, snippets=3)
                ids = [h.doc_id for h in res.hits]
                assert len(ids) == len(set(ids)), "duplicate hits"
                assert res.total == len(ids)
                totals.add(res.total)
                searches += 1
        except BaseException as exc:  # noqa: B036 - any failure is the finding
            errors.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        proc = spawn_index(corpus.root, index_dir, *(["--rebuild"] if rebuild else []))
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        time.sleep(0.3)
    finally:
        stop.set()
        reader.join(timeout=30)
    try:
        assert not errors, repr(errors[0])
        assert searches > 3
        assert totals <= {old_n, new_n}, totals
        # fresh results after the commit, from the same (long-lived) Index
        assert ix.search("Gemeinsam", limit=1000).total == new_n
        assert ix.search(new_token).total == 1, "the reader does not see the new commit"
    finally:
        ix.close()


# --- read-only folder and full disk ---------------------------------------------------------

def _unshare_works() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    try:
        r = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
                           capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


UNSHARE = _unshare_works()
needs_mounts = pytest.mark.skipif(
    not UNSHARE, reason="no private mount namespace here (unshare -m / mount not permitted)"
)


def _in_namespace(script: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a shell *script* in a private mount namespace: mounts vanish with it."""
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                          capture_output=True, text=True, timeout=timeout)


def _dossier(*argv: str) -> str:
    """A shell command line running ``dossier ARGV`` with this interpreter."""
    import shlex

    return " ".join(shlex.quote(a) for a in (sys.executable, "-c", CHILD, *argv))


@needs_mounts
def test_read_only_index_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The folder holding the index is made read-only with a read-only bind mount
    (``chmod -w`` stops nothing as root). Updating and rebuilding fail with one
    line and exit 1; searching still works; the index is unchanged."""
    corpus = Corpus(tmp_path / "corpus", random.Random(4))
    corpus.add(80)
    ro = tmp_path / "ro"
    index_dir = ro / "index"
    loc = ["--corpus", str(corpus.root), "--index", str(index_dir)]
    assert run_cli(capsys, "index", *loc)[0] == 0
    before = dict(corpus.state)
    corpus.mutate(adds=10, changes=10, deletes=10)
    script = (f"mount --bind {ro} {ro} && mount -o remount,bind,ro {ro} && "
              f"{_dossier('index', *loc)}; echo \"exit=$?\"; "
              f"{_dossier('index', '--rebuild', *loc)}; echo \"exit=$?\"; "
              f"{_dossier('search', 'Gemeinsam', '--json', '--limit', '500', *loc)} | wc -l")
    r = _in_namespace(script)
    lines = r.stdout.split()
    assert lines[:2] == ["exit=1", "exit=1"], (r.stdout, r.stderr)
    assert int(lines[2]) == len(before), r.stderr
    errs = r.stderr.strip().splitlines()
    assert len(errs) == 2, errs
    assert all(e.startswith("dossier: cannot write the index") and "Read-only" in e
               for e in errs), errs
    state, _ = indexed_state(index_dir)
    assert state == before
    assert run_cli(capsys, "index", *loc)[0] == 0      # writable again: completes
    assert indexed_state(index_dir)[0] == corpus.state


@needs_mounts
@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_disk_full(tmp_path: Path, rebuild: bool) -> None:
    """The index lives on a 1 MB tmpfs (in a private mount namespace); the corpus
    grows until the next build cannot fit. One line, exit 1, and the previous
    index is still complete and searchable on the full disk."""
    corpus = Corpus(tmp_path / "corpus", random.Random(5))
    corpus.add(40)
    disk = tmp_path / "disk"
    disk.mkdir()
    index_dir = disk / "index"
    loc = ["--corpus", str(corpus.root), "--index", str(index_dir)]
    check = textwrap.dedent(f"""
        import json, sys
        sys.path[:0] = {json.dumps([str(Path(__file__).parent)])}
        from index.search import Index
        ix = Index({str(index_dir)!r})
        ids = ix.ids()
        print(json.dumps({{"n": len(ids), "dups": len(ids) - len(set(ids)),
                          "hits": ix.search("Gemeinsam", limit=1000).total}}))
    """)
    check_cmd = " ".join(["'" + sys.executable + "'", "-c", _shq(check)])
    big = corpus.root / "big"
    script = (
        f"mount -t tmpfs -o size=1m tmpfs {disk} && "
        f"{_dossier('index', *loc)} >/dev/null && {check_cmd} && "
        # now make the corpus far larger than the disk
        f"{sys.executable} -c {_shq(_GROW.format(big=str(big)))} && "
        f"{_dossier('index', *(['--rebuild'] if rebuild else []), *loc)}; echo \"exit=$?\"; "
        f"{check_cmd}; df -k {disk} | tail -1"
    )
    r = _in_namespace(script)
    out = r.stdout.strip().splitlines()
    assert len(out) >= 4, (r.stdout, r.stderr)
    first, code, after = json.loads(out[0]), out[1], json.loads(out[2])
    assert first == {"n": 40, "dups": 0, "hits": 40}, r.stderr
    assert code == "exit=1", (r.stdout, r.stderr)
    err = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(err) == 1 and err[0].startswith("dossier: disk full"), r.stderr
    assert after == first, "the previous index changed or broke on a full disk"


_GROW = textwrap.dedent("""
    import pathlib, random
    big = pathlib.Path({big!r}); big.mkdir(parents=True, exist_ok=True)
    rng = random.Random(9)
    for i in range(40):  # ~4 MB of index: distinct words are what makes Whoosh grow
        words = " ".join("w%06d" % rng.randrange(10**6) for _ in range(300))
        (big / ("gross-%04d.txt" % i)).write_text("Gross %d\\n\\nGemeinsam %s\\n" % (i, words))
""")


def _shq(s: str) -> str:
    import shlex

    return shlex.quote(s)


# --- simulated faults (always run, also where mounts are not allowed) --------------------------

def _fail_writes_after(monkeypatch: pytest.MonkeyPatch, err: int, after: int) -> None:
    """Make Whoosh's file writes fail with *err* after *after* successful writes."""
    from whoosh.filedb.structfile import StructFile

    real = StructFile.write
    count = {"n": 0}

    def write(self: Any, *args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        if count["n"] > after:
            raise OSError(err, os.strerror(err))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(StructFile, "write", write)


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS], ids=["enospc", "erofs"])
@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_simulated_write_faults(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch, err: int, rebuild: bool) -> None:
    corpus = Corpus(tmp_path / "corpus", random.Random(6))
    corpus.add(60)
    index_dir = tmp_path / "index"
    loc = ["--corpus", str(corpus.root), "--index", str(index_dir)]
    assert run_cli(capsys, "index", *loc)[0] == 0
    before = dict(corpus.state)
    corpus.mutate(adds=30, changes=20, deletes=10)
    # No garbage collection until the end: a failed writer must release its lock by
    # itself, not whenever the collector happens to finalize it (that made this flaky).
    gc.disable()
    try:
        with monkeypatch.context() as m:
            _fail_writes_after(m, err, after=200)
            code, out, errtext = run_cli(capsys, "index",
                                         *(["--rebuild"] if rebuild else []), *loc)
        assert code == 1 and out == "", errtext
        assert errtext.count("\n") == 1, errtext
        expected = "disk full" if err == errno.ENOSPC else "cannot write the index"
        assert errtext.startswith(f"dossier: {expected}"), errtext
        state, ids = indexed_state(index_dir)
        assert state == before and len(ids) == len(set(ids))
        assert run_cli(capsys, "index", *loc)[0] == 0
    finally:
        gc.enable()
    assert indexed_state(index_dir)[0] == corpus.state


# --- the multi-process writer ------------------------------------------------------------------

MP_BUILDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import index.build
    from index.build import build_index

    index.build.MULTIPROCESS_MIN = 1   # the two-process writer on a small corpus

    def pause(done, total, rel):
        if done == int(sys.argv[3]):   # both writer children are working by now
            print("children", flush=True)
            time.sleep(600)            # hold the lock until killed

    build_index([Path(sys.argv[1])], Path(sys.argv[2]), rebuild=True, procs=2, progress=pause)
""")


def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is *pid*."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_multiprocess_build_leaves_no_writer_and_no_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kill -9`` of a build using Whoosh's two-process writer: its writer children
    die with it (they held the lock's descriptor and waited on their queue forever),
    and the next ``dossier index`` runs at once."""
    corpus = Corpus(tmp_path / "corpus", random.Random(5))
    corpus.add(320)
    index_dir = tmp_path / "index"
    proc = subprocess.Popen(
        [sys.executable, "-c", MP_BUILDER, str(corpus.root), str(index_dir), "300"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    children: list[int] = []
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "children", proc.stderr and proc.stderr.read()
        children = _children(proc.pid)
        assert len(children) >= 2, children  # the multi-process path really ran
        assert proc.poll() is None
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [c for c in children if _alive(c)]
    finally:  # never leave a process behind, whatever failed
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for c in children:
            if _alive(c):
                os.kill(c, signal.SIGKILL)
    assert left == [], f"writer children still running after kill -9 of {proc.pid}: {left}"
    code, out, err = run_cli(capsys, "index", "--corpus", str(corpus.root),
                             "--index", str(index_dir))
    assert code == 0, err
    assert "another dossier is indexing" not in err
    state, _ = indexed_state(index_dir)
    assert state == corpus.state
