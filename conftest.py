"""Loaded by pytest for every path it is given, so also for ``pytest chapters/<name>.ipynb`` alone (tests/conftest.py is
loaded only when tests/ is collected): nbval makes one item per notebook cell and the cells share one kernel, so each
notebook is one xdist group (one worker runs its cells in order) and belongs to the execute tier (see tests/conftest.py)."""

import pytest


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects and before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(str(item.path)))
            if not item.get_closest_marker("execute"):
                item.add_marker(pytest.mark.execute)
