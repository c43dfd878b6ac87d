"""``dossier --read-only``: nothing is written, nothing is started, paths are fenced."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

DOSSIER = Path(sys.executable).with_name("dossier")


def snapshot(*roots: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under *roots* with (mtime_ns, size, mode): any write changes it."""
    out: dict[str, tuple[int, int, int]] = {}
    for root in roots:
        if not root.exists():
            out[str(root)] = (0, -1, 0)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            for name in [*dirnames, *filenames, "."]:
                p = Path(dirpath, name)
                st = p.lstat()
                out[str(p)] = (st.st_mtime_ns, st.st_size, st.st_mode)
    return out


@pytest.fixture
def sandbox(tmp_path: Path, corpus_env: dict[str, Path],
            monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A corpus copy with an index that is *stale* (a file added after the build, one
    changed), a fake HOME, XDG folders, cache and cwd, all watched."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_env["corpus"], corpus)
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_env["index"], index_dir)
    (corpus / "late.txt").write_text("Late\n\nEin spätes Quokka.\n", "utf-8")
    with open(corpus / "quokka_de.txt", "a", encoding="utf-8") as fh:
        fh.write("\nNachtrag.\n")
    home = tmp_path / "home"
    for sub in ("", ".cache", ".config", ".local/share", "cwd"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("DOSSIER_CACHE", str(cache))
    monkeypatch.delenv("DOSSIER_LATENCY_LOG", raising=False)
    monkeypatch.chdir(home / "cwd")
    return {"root": tmp_path, "corpus": corpus.resolve(), "index": index_dir.resolve(),
            "home": home, "cache": cache}


# --- the TUI ----------------------------------------------------------------------------------

def _record_writers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call of what writes the index or starts a program, recorded (and still run),
    so a missing read-only guard fails at the step that reached it, not only in the final
    folder snapshot (a background update that finished leaves no worker to look at)."""
    import index.build
    import tui.index_update

    calls: list[str] = []
    for module, name in ((tui.index_update, "run_update"), (index.build, "build_index"),
                         (subprocess, "Popen")):
        original = getattr(module, name)

        def record(*args, _original=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, record)
    return calls


async def test_read_only_session_writes_nothing(make_app, settle, sandbox, monkeypatch) -> None:
    from textual.app import SuspendNotSupported

    from tui.commands import DossierCommands
    from tui.screens.source import SourceScreen

    before = snapshot(sandbox["root"])
    calls = _record_writers(monkeypatch)
    app = make_app(read_only=True, index_dir=sandbox["index"], corpus=sandbox["corpus"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        assert calls == [], "read-only: opening the app updated the index or ran a program"
        await pilot.press(*"quokka")
        await settle(pilot, app)
        assert app.main_screen.result is not None and app.main_screen.result.total >= 2
        # No background update was started: the stale index stays as it is.
        assert not [w for w in app.workers if w.group == "reindex"]
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("n", "N", "c")
        await settle(pilot, app)
        # Everything that would write or start a program is refused, not run.
        app.main_screen.action_reindex()
        await pilot.pause()  # one toast at a time: read this refusal before the next
        messages = [str(n.message) for n in app._notifications]
        assert any("read-only: reindexing" in m for m in messages), messages
        app.open_url("https://example.org/")
        app.action_suspend_process()
        app.deliver_screenshot()
        app.deliver_text(__import__("io").StringIO("x"), save_filename="x.txt")
        with pytest.raises(PermissionError):
            app.save_screenshot(path=str(sandbox["home"] / "cwd"))
        with pytest.raises(SuspendNotSupported):
            with app.suspend():
                pass
        await settle(pilot, app)
        assert not [w for w in app.workers if w.group == "reindex"]
        assert calls == [], "read-only: an action updated the index or ran a program"
        messages = [str(n.message) for n in app._notifications]
        assert messages == ["read-only: saving files is not available here"], messages
        # The palette offers neither reindexing nor a screenshot.
        provider = DossierCommands(app.main_screen)
        names = [name for name, _cb, _help in provider._commands()]
        assert names and not [n for n in names if "Reindex" in n]
        titles = [c.title for c in app.get_system_commands(app.main_screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        await pilot.press("escape", "q")
    after = snapshot(sandbox["root"])
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert not changed, f"read-only session changed: {sorted(changed)}"


async def test_writable_session_does_update_a_stale_index(make_app, settle, sandbox) -> None:
    """The control for the test above: without --read-only the same session writes."""
    before = snapshot(sandbox["index"])
    app = make_app(index_dir=sandbox["index"], corpus=sandbox["corpus"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
    assert snapshot(sandbox["index"]) != before


async def test_read_only_missing_index_shows_a_message(make_app, settle, sandbox) -> None:
    from textual.widgets import Static

    from tui.screens.message import MessageScreen

    missing = sandbox["root"] / "no-index"
    before = snapshot(sandbox["root"])
    app = make_app(read_only=True, index_dir=missing, corpus=sandbox["corpus"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, MessageScreen)
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "No index" in text and "read-only" in text and str(missing) in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
    assert not missing.exists()
    assert snapshot(sandbox["root"]) == before


# --- the command line ---------------------------------------------------------------------------

def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("args", [
    ["--read-only", "index"],
    ["index", "--read-only"],
    ["index", "--rebuild", "--read-only"],
])
def test_index_is_refused(args, sandbox, capsys) -> None:
    before = snapshot(sandbox["root"])
    code, out, err = _run([*args, "--corpus", str(sandbox["corpus"]),
                           "--index", str(sandbox["index"])], capsys)
    assert code == 2
    assert out == "" and len(err.strip().splitlines()) == 1 and "read-only" in err
    assert snapshot(sandbox["root"]) == before


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_env_switches_read_only_on(value, sandbox, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_READ_ONLY", value)
    code, _out, err = _run(["index", "--corpus", str(sandbox["corpus"])], capsys)
    assert code == 2 and "read-only" in err


def test_env_cannot_switch_read_only_off(sandbox, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_READ_ONLY", "0")
    code, _out, err = _run(["--read-only", "index", "--corpus", str(sandbox["corpus"])], capsys)
    assert code == 2 and "read-only" in err


@pytest.mark.parametrize("command", [["search", "quokka"], ["show", "x"],
                                     ["timeline", "quokka"]])
def test_missing_index_is_one_line_not_a_build(command, sandbox, capsys) -> None:
    before = snapshot(sandbox["root"])
    code, out, err = _run(["--read-only", *command, "--corpus", str(sandbox["corpus"])],
                          capsys)
    assert code == 1
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "no index" in err and "Traceback" not in err
    assert snapshot(sandbox["root"]) == before  # nothing built in the cache


def test_read_only_search_works_on_an_existing_index(sandbox, capsys) -> None:
    before = snapshot(sandbox["root"])
    code, out, _err = _run(["--read-only", "search", "quokka", "--json", "--corpus",
                            str(sandbox["corpus"]), "--index", str(sandbox["index"])], capsys)
    assert code == 0 and "quokka" in out.lower()
    assert snapshot(sandbox["root"]) == before


def test_allowed_roots_fence(sandbox, capsys, monkeypatch, tmp_path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    monkeypatch.setenv("DOSSIER_ALLOWED_ROOTS", os.pathsep.join([str(sandbox["corpus"]),
                                                                 str(sandbox["index"])]))
    ok = ["--read-only", "search", "quokka", "--corpus", str(sandbox["corpus"]),
          "--index", str(sandbox["index"])]
    assert _run(ok, capsys)[0] == 0
    # A corpus outside the roots, also through a symlink or "..", is refused.
    link = sandbox["corpus"] / "escape"
    link.symlink_to(outside)
    for corpus in (outside, link, sandbox["corpus"] / ".." / "home"):
        code, out, err = _run(["search", "x", "--corpus", str(corpus),
                               "--index", str(sandbox["index"])], capsys)
        assert code == 2 and "outside DOSSIER_ALLOWED_ROOTS" in err, (corpus, err)
        assert len(err.strip().splitlines()) == 1
    code, _out, err = _run(["search", "x", "--corpus", str(sandbox["corpus"]),
                            "--index", str(outside)], capsys)
    assert code == 2 and "index folder outside" in err
    # An empty setting allows nothing.
    monkeypatch.setenv("DOSSIER_ALLOWED_ROOTS", "")
    assert _run(ok, capsys)[0] == 2
    assert not any(outside.iterdir())
    link.unlink()


def test_real_program_missing_index_exit_1_one_line(sandbox) -> None:
    """The installed script, as sshd would run it: one line on stderr, exit 1."""
    if not DOSSIER.exists():
        pytest.skip(f"no dossier script next to {sys.executable}")
    env = {**os.environ, "SSH_ORIGINAL_COMMAND": "index --rebuild"}
    proc = subprocess.run([str(DOSSIER), "--read-only", "--corpus", str(sandbox["corpus"]),
                           "search", "quokka", "--index", str(sandbox["root"] / "nope")],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (sandbox["root"] / "nope").exists()


# --- the journalist's workflow (export, bookmarks, tags) ---------------------------------------

def test_read_only_export_goes_to_stdout_only(sandbox, capsys) -> None:
    before = snapshot(sandbox["root"])
    where = ["--corpus", str(sandbox["corpus"]), "--index", str(sandbox["index"])]
    code, out, err = _run(["--read-only", "export", "quokka", "--format", "json", *where], capsys)
    assert code == 0 and '"citation"' in out, err
    target = sandbox["home"] / "cwd" / "x.csv"
    code, out, err = _run(["--read-only", "export", "quokka", "--out", str(target), *where],
                          capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "read-only" in err
    assert snapshot(sandbox["root"]) == before


async def test_read_only_tui_export_is_refused_in_one_line(make_app, settle, sandbox) -> None:
    from tui.screens.main import MainScreen

    before = snapshot(sandbox["root"])
    app = make_app(read_only=True, index_dir=sandbox["index"], corpus=sandbox["corpus"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab", "E")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("read-only: export") for m in messages), messages
        assert all("\n" not in m for m in messages)
    assert snapshot(sandbox["root"]) == before


async def test_read_only_marks_are_off_and_nothing_is_written(make_app, settle, sandbox,
                                                             monkeypatch) -> None:
    from tui.screens.main import MainScreen

    # The user data folder inside the watched tree: opening SQLite would show there.
    monkeypatch.setenv("DOSSIER_DATA", str(sandbox["home"] / ".local/share/dossier"))
    before = snapshot(sandbox["root"])
    app = make_app(read_only=True, index_dir=sandbox["index"], corpus=sandbox["corpus"])
    told: list[str] = []  # every toast (the screen shows one at a time)
    notify = app.notify
    app.notify = lambda message, *a, **k: (told.append(str(message)),  # type: ignore[method-assign]
                                           notify(message, *a, **k))[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab", "m", "number_sign")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)  # no tag dialog
        messages = told
        assert sum(m == "read-only: bookmarking and tagging is not available here"
                   for m in messages) == 2, messages
        await pilot.press("slash", *"tag:klage")
        await settle(pilot, app)
        assert "off: read-only" in (app.main_screen.error or "")
        # Search history: Enter records nothing, Up and Ctrl+R say so in one line.
        app.main_screen.query_one("#search-input").value = ""
        await pilot.press(*"quokka", "enter")
        await settle(pilot, app)
        await pilot.press("slash", "up", "ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)  # no history dialog
        messages = told
        assert sum(m == "read-only: search history is not available here"
                   for m in messages) == 2, messages
        # Saved searches: S says so, the palette lists none.
        await pilot.press("enter", "S")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        messages = told
        assert "read-only: saving searches is not available here" in messages
        from tui.commands import DossierCommands

        names = [n for n, _cb, _h in DossierCommands(app.main_screen)._commands()]
        assert not [n for n in names if n.startswith(("Saved search:", "Rename saved",
                                                      "Delete saved"))]
    assert snapshot(sandbox["root"]) == before


@pytest.mark.parametrize("command", [["search", "is:bookmarked"], ["export", "tag:x"],
                                     ["timeline", "tag:x"], ["mark", "x", "--bookmark"],
                                     ["marks"], ["history"], ["saved"],
                                     ["search", "--saved", "x"],
                                     ["saved", "--add", "a", "b"]])
def test_read_only_cli_marks_are_refused(command, sandbox, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_DATA", str(sandbox["home"] / ".local/share/dossier"))
    before = snapshot(sandbox["root"])
    code, out, err = _run(["--read-only", *command, "--corpus", str(sandbox["corpus"]),
                           "--index", str(sandbox["index"])], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "read-only" in err, err
    assert snapshot(sandbox["root"]) == before


async def test_read_only_keyword_in_context_works(make_app, settle, sandbox,
                                                  monkeypatch) -> None:
    from tui.screens.kwic import KwicScreen
    from tui.widgets.kwic_list import KwicList

    monkeypatch.setenv("DOSSIER_DATA", str(sandbox["home"] / ".local/share/dossier"))
    before = snapshot(sandbox["root"])
    app = make_app(read_only=True, index_dir=sandbox["index"], corpus=sandbox["corpus"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press(*"quokka", "enter", "K")
        await settle(pilot, app)
        assert isinstance(app.screen, KwicScreen)
        assert [r for r in app.screen.query_one(KwicList).rows if r is not None]
    assert snapshot(sandbox["root"]) == before


# --- each guard on its own: checked at the step that would break it ---------------------------

async def test_read_only_every_step_starts_nothing_and_writes_nothing(
        make_app, settle, sandbox, monkeypatch) -> None:
    """The session above checks the folders once, at the end: a guard removed shows up
    there as "something changed". Here every step is checked as it happens (no child
    program, no background update, no file under the index, the cache or the XDG
    folders, a one-line refusal where the user asked for a write), so a missing guard
    fails at its own step."""
    import subprocess

    from textual.worker import Worker

    from tui.screens.main import MainScreen

    monkeypatch.setenv("DOSSIER_DATA", str(sandbox["home"] / ".local/share/dossier"))
    started: list[object] = []  # every program dossier tried to start

    def no_programs(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started.append(args[0] if args else kwargs.get("args"))
        raise PermissionError("the test forbids starting programs")

    monkeypatch.setattr(subprocess, "Popen", no_programs)
    workers: list[str] = []  # every worker group that ran

    def hook(message) -> None:  # noqa: ANN001
        if isinstance(message, Worker.StateChanged):
            workers.append(message.worker.group)

    told: list[str] = []
    app = make_app(read_only=True, index_dir=sandbox["index"], corpus=sandbox["corpus"])
    notify = app.notify
    app.notify = lambda message, *a, **k: (told.append(str(message)),  # type: ignore[method-assign]
                                           notify(message, *a, **k))[1]
    before = snapshot(sandbox["root"])

    def check(step: str, refusal: str | None = None) -> None:
        assert started == [], f"{step}: started {started}"
        assert "reindex" not in workers, f"{step}: a background update ran"
        now = snapshot(sandbox["root"])
        changed = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
        assert not changed, f"{step}: wrote {changed}"
        if refusal is not None:
            assert f"read-only: {refusal} is not available here" in told, (step, told)
        assert all("\n" not in m for m in told), told
        told.clear()

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)  # a background update would have started by now
        main = app.main_screen
        assert isinstance(main, MainScreen) and main.result is not None
        check("opening a stale index")
        await pilot.press(*"quokka")
        await settle(pilot, app)
        check("searching")
        await pilot.press("tab", "m")
        await settle(pilot, app)
        check("bookmarking", "bookmarking and tagging")
        await pilot.press("number_sign")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)  # no tag dialog
        check("tagging", "bookmarking and tagging")
        await pilot.press("slash", "enter")
        await settle(pilot, app)
        check("recording the query in the history")
        await pilot.press("slash", "ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)  # no history dialog
        check("the history", "search history")
        await pilot.press("tab", "S")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)  # no name dialog
        check("saving the search", "saving searches")
        await pilot.press("E")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)  # no export dialog
        check("exporting", "export to a file (`dossier export` prints to stdout)")
        main.action_reindex()
        await settle(pilot, app)
        check("reindexing from the palette", "reindexing")
        app.open_url("https://example.org/")
        await pilot.pause()
        check("opening a link", "opening links")
        app.action_suspend_process()
        await pilot.pause()
        check("suspending", "suspending")
        app.deliver_screenshot()
        await pilot.pause()
        check("a screenshot", "screenshots")
        app.deliver_text(__import__("io").StringIO("x"), save_filename="x.txt")
        await pilot.pause()
        check("saving a file", "saving files")
