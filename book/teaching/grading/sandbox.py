"""The run of one learner's notebook: a copy in a fresh folder, run by its own process (``python -m
book.teaching.grading --run-one``) under ``unshare`` (no network but a loopback; its processes die with it) or a
socket guard, with time limits per cell and per notebook; every ``check_answer`` call it makes is recorded."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TIMEOUT", "CELL_TIMEOUT", "Run", "run_sandboxed", "sandbox_kind"]

# --- the run of one notebook (in its own process) -----------------------------------------------

_PRELUDE = r"""
import json as _kap_json
import socket as _kap_socket

def _kap_guard():
    if {guard!r}:
        _connect = _kap_socket.socket.connect
        def connect(self, address, _connect=_connect):
            host = address[0] if isinstance(address, tuple) else address
            if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and self.family != _kap_socket.AF_UNIX:
                raise OSError("no network while grading")
            return _connect(self, address)
        _kap_socket.socket.connect = connect
        _kap_socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("no network while grading"))
_kap_guard()

def _kap_install():
    import importlib
    homes = [importlib.import_module(m) for m in ("book.teaching.answers", "book.answers", "book.exercises")]
    calls = []
    original = homes[0].check_answer
    def check_answer(label, answer, _original=original, _calls=calls):
        if answer is ...:
            kept = {{"kind": "ellipsis"}}
        else:
            try:
                plain = answer.item() if hasattr(answer, "item") else answer
                kept = {{"kind": "value", "value": _kap_json.loads(_kap_json.dumps(plain))}}
            except Exception:
                kept = {{"kind": "other", "type": type(answer).__name__, "repr": repr(answer)[:200]}}
        _calls.append([label, kept])
        print({token!r} + _kap_json.dumps([label, kept]))
        return _original(label, answer)
    for home in homes:  # the registry and the old paths chapters import it from
        home.check_answer = check_answer
    return calls
_kap_calls = _kap_install()
del _kap_install, _kap_guard
"""


def _run_one(notebook: Path, result: Path, cell_timeout: int, guard: bool) -> int:
    """In the child process: run ``notebook`` (a copy in its own folder) and write what the checks received.

    The report is rewritten after every cell, so a run killed for its time limit still has the checks made so far."""
    import nbformat
    from nbclient import NotebookClient

    report: dict = {"errors": [], "timeouts": [], "calls": [], "finished": False}
    token = "KAP-GRADER-" + secrets.token_hex(8) + ":"

    def save() -> None:
        partial = result.with_suffix(".part")
        partial.write_text(json.dumps(report), encoding="utf-8")
        partial.replace(result)

    def harvest(cell, cell_index, **_) -> None:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                for line in output.get("text", "").splitlines():
                    if line.startswith(token):
                        report["calls"].append(json.loads(line[len(token) :]))
            elif output.get("output_type") == "error" and cell_index > 0:
                kind = "timeouts" if output.get("ename") in ("KeyboardInterrupt", "CellTimeoutError") else "errors"
                evalue = str(output.get("evalue"))[:300]
                report[kind].append({"cell": cell_index - 1, "ename": output.get("ename"), "evalue": evalue})
        save()

    save()
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_PRELUDE.format(guard=guard, token=token)))
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        interrupt_on_timeout=True,
        allow_errors=True,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(notebook.parent)}},
        on_cell_executed=harvest,
    )
    try:
        client.execute()
        report["finished"] = True
    except Exception as exc:  # the kernel died, or nbclient gave up
        report["errors"].append({"cell": None, "ename": type(exc).__name__, "evalue": str(exc)[:300]})
    save()
    return 0


#: A user, network and PID namespace: no network but a loopback, and every process of the run (the kernel too,
#: which jupyter_client starts in a session of its own) is killed when the run's first process ends or is killed.
_UNSHARE = ["unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"]


def sandbox_kind() -> str:
    """ "unshare" if this machine can run a process in its own network namespace, else "socket guard"."""
    unshare = shutil.which("unshare")
    if unshare and shutil.which("ip"):
        try:
            done = subprocess.run([*_UNSHARE, "ip", "link", "set", "lo", "up"], capture_output=True, timeout=10)
            if done.returncode == 0:
                return "unshare"
        except (OSError, subprocess.TimeoutExpired):
            pass
    return "socket guard"


# --- grading ------------------------------------------------------------------------------------


#: Seconds for a whole notebook and for one cell, by default.
TIMEOUT = 600
CELL_TIMEOUT = 120


@dataclass
class Run:
    """What the run of one notebook left: the checks' report, whether it was killed, its stderr, its seconds."""

    report: dict
    killed: bool
    stderr: str
    seconds: float


def run_sandboxed(raw: bytes, chapter: str, *, sandbox: str, timeout: float, cell_timeout: float) -> Run:
    """Run a notebook (its bytes) as ``<chapter>.ipynb`` in a fresh temporary folder, in its own process (under
    ``unshare`` or with the socket guard), killed after ``timeout`` seconds; the folder is removed afterwards."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kap-grade-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        copy = work / f"{chapter}.ipynb"
        copy.write_bytes(raw)
        out = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "book.teaching.grading", "--run-one", str(copy), str(out)]
        command += ["--cell-timeout", str(int(cell_timeout))]
        if sandbox == "unshare":
            command = [*_UNSHARE, "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
        else:
            command.append("--socket-guard")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        process = subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        killed = False
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # under unshare --pid, the kernel dies with it
            _, err = process.communicate()
            killed = True
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = {}
    return Run(report, killed, err.decode(errors="replace"), time.perf_counter() - started)
