"""Loaded by pytest for every path it is given, so also for ``pytest chapters/<name>.ipynb`` alone (tests/conftest.py is
loaded only when tests/ is collected): nbval makes one item per notebook cell and the cells share one kernel, so each
notebook is one xdist group (one worker runs its cells in order) and belongs to the execute tier (see tests/conftest.py).

And nbval's kernel start is tried a second time when the kernel dies before it answers (:func:`kernel_start_retried`)."""

import functools
import tempfile

import pytest


def kernel_start_retried(start):
    """``start`` (nbval's ``start_new_kernel``) tried once more when the kernel dies before it answers, then with the
    kernel's stderr kept for the error (nbval sends it to /dev/null). In CI on 2026-12-07 one notebook's kernel died
    so at its start (all 35 of its cells errored, "Kernel died before replying to kernel_info") while the same
    notebook passed alone, and 45 kernels started three at a time here did not die: a start that failed once for a
    reason outside the notebook. A kernel that cannot start fails both times, with what it printed."""

    @functools.wraps(start)
    def started(*args, **kwargs):
        try:
            return start(*args, **kwargs)
        except RuntimeError as first:
            with tempfile.TemporaryFile("w+") as stderr:
                try:
                    return start(*args, **{**kwargs, "stderr": stderr})
                except RuntimeError as second:
                    stderr.seek(0)
                    printed = stderr.read()[-3000:] or "(nothing)"
                    raise RuntimeError(f"{second}, twice; the kernel's stderr the second time:\n{printed}") from first

    return started


def pytest_configure(config):
    try:
        import nbval.kernel
    except ImportError:
        return
    if not getattr(nbval.kernel.start_new_kernel, "__wrapped__", None):
        nbval.kernel.start_new_kernel = kernel_start_retried(nbval.kernel.start_new_kernel)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects and before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(str(item.path)))
            if not item.get_closest_marker("execute"):
                item.add_marker(pytest.mark.execute)
