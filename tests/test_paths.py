"""The root is the checkout in use: found from the current folder (or KAP_BOOK_ROOT / --root), and refused,
naming both paths, when the package in use belongs to another checkout (a second clone with the first clone's
editable install)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from book import paths
from book.paths import ROOT, WrongCheckoutError, find_root


def _checkout(folder: Path, with_package: bool = False) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "chapters").mkdir()
    shutil.copy(ROOT / "data" / "datapackage.json", folder / "data" / "datapackage.json")
    shutil.copy(ROOT / "_toc.yml", folder / "_toc.yml")
    if with_package:
        shutil.copytree(ROOT / "book", folder / "book", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_the_root_is_found_from_the_current_folder_upward(tmp_path, monkeypatch):
    clone = _checkout(tmp_path / "clone")
    monkeypatch.setattr(paths, "package_checkout", lambda: None)  # an installed package: belongs to no checkout
    assert find_root(clone / "chapters", environ={}) == clone.resolve()
    assert find_root(tmp_path, environ={"KAP_BOOK_ROOT": str(clone)}) == clone.resolve()
    with pytest.raises(FileNotFoundError, match="No checkout"):
        find_root(tmp_path, environ={})


def test_another_checkouts_package_is_refused_naming_both(tmp_path, monkeypatch):
    first, second = _checkout(tmp_path / "first"), _checkout(tmp_path / "second")
    monkeypatch.setattr(paths, "package_checkout", lambda: first.resolve())
    assert find_root(first / "chapters", environ={}) == first.resolve()
    assert find_root(tmp_path, environ={}) == first.resolve()  # outside any checkout: the package's own
    for start, environ in ((second / "chapters", {}), (first, {"KAP_BOOK_ROOT": str(second)})):
        with pytest.raises(WrongCheckoutError) as raised:
            find_root(start, environ=environ)
        assert str(first.resolve()) in str(raised.value) and str(second.resolve()) in str(raised.value)


def _run(args: list[str], cwd: Path, package_from: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KAP_BOOK_ROOT", "KAP_BOOK_DATA")}
    env["PYTHONPATH"] = str(package_from)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_a_second_clone_with_the_first_clones_package(tmp_path):
    """Clone A holds the package (as an editable install would); in clone B, the command line and a kernel refuse."""
    first = _checkout(tmp_path / "A", with_package=True)
    second = _checkout(tmp_path / "B")
    where = ["-c", "import book.paths as p; print(p.ROOT)"]
    assert _run(where, first / "chapters", first).stdout.strip() == str(first.resolve())
    refused = _run(["-m", "book", "validate"], second / "chapters", first)
    assert refused.returncode != 0
    first_line = refused.stderr.strip().splitlines()[0]
    assert str(first.resolve()) in first_line and str(second.resolve()) in first_line
    kernel = _run(where, second / "chapters", first)
    assert kernel.returncode != 0 and "WrongCheckoutError" in kernel.stderr
