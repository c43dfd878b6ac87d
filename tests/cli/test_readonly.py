"""``cli/readonly.py`` on its own: how read-only is switched on, and the path fence.

The command-line and TUI behaviour of ``--read-only`` is tested in
tests/ssh/test_read_only.py; here are the rules it rests on, with no app and no index.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli.readonly import (
    ENV_ALLOWED_ROOTS,
    ENV_READ_ONLY,
    PathRefused,
    allowed_roots,
    check_paths,
    read_only_requested,
)


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "Yes", "on", " 1 "])
def test_the_variable_switches_read_only_on(value: str) -> None:
    assert read_only_requested(False, {ENV_READ_ONLY: value})


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off", "2", "y", "read-only"])
def test_other_values_leave_it_off(value: str) -> None:
    assert not read_only_requested(False, {ENV_READ_ONLY: value})
    assert not read_only_requested(False, {})


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_the_variable_never_switches_the_flag_off(value: str) -> None:
    assert read_only_requested(True, {ENV_READ_ONLY: value})


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_READ_ONLY, "yes")
    assert read_only_requested(False)
    monkeypatch.delenv(ENV_READ_ONLY)
    assert not read_only_requested(False)


def test_allowed_roots_absent_empty_and_listed(tmp_path: Path) -> None:
    assert allowed_roots({}) is None  # no fence at all
    assert allowed_roots({ENV_ALLOWED_ROOTS: ""}) == []  # a fence that allows nothing
    a, b = tmp_path / "a", tmp_path / "b"
    value = os.pathsep.join([str(a), " ", str(b / ".." / "b")])
    assert allowed_roots({ENV_ALLOWED_ROOTS: value}) == [a.resolve(), b.resolve()]


def test_check_paths_fences_corpus_and_index(tmp_path: Path) -> None:
    root = tmp_path / "srv" / "articles"
    (root / "de").mkdir(parents=True)
    sibling = tmp_path / "srv" / "articles2"  # shares the prefix, is not inside
    sibling.mkdir()
    env = {ENV_ALLOWED_ROOTS: str(root)}
    check_paths([root], None, env)
    check_paths([root / "de", root / "de" / ".." / "de"], root / "index", env)
    for corpus in (sibling, root / ".." / "articles2", tmp_path):
        with pytest.raises(PathRefused, match="corpus folder outside"):
            check_paths([root, corpus], None, env)
    with pytest.raises(PathRefused, match="index folder outside"):
        check_paths([root], sibling / "index", env)


def test_check_paths_follows_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    (tmp_path / "way-in").symlink_to(root)
    env = {ENV_ALLOWED_ROOTS: str(root)}
    with pytest.raises(PathRefused):
        check_paths([root / "escape"], None, env)
    check_paths([tmp_path / "way-in"], None, env)  # a link that leads inside is inside


def test_no_setting_no_fence_and_an_empty_one_refuses_all(tmp_path: Path) -> None:
    check_paths([tmp_path], tmp_path / "index", {})
    with pytest.raises(PathRefused) as err:
        check_paths([tmp_path], None, {ENV_ALLOWED_ROOTS: ""})
    assert len(str(err.value).splitlines()) == 1
