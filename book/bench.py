"""Benchmark: how long an explorer update and a chart spec take, on the real data and on 10x and 100x copies.

Run ``python -m book.bench``. It prints a table of median and maximum milliseconds; it measures,
it does not pass or fail. An *update* is what the explorer does on every change of a control
(:func:`book.widgets.update`): filter the effects, pool, build the forest chart spec and the table.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from .evidence.effects import study_effects
from .evidence.loaders import load_outcomes
from .views.forest import forest_chart, forest_spec
from .views.widgets import Selection, update

SELECTIONS = [
    Selection(),
    Selection(measure="MD"),
    Selection(measure="OR", substances=("alcohol", "opioids")),
    Selection(designs=("randomized controlled trial",), measure="OR"),
    Selection(participants=(50, 10**6), measure="MD"),
]


def scaled(effects: pd.DataFrame, factor: int, seed: int = 1) -> pd.DataFrame:
    """``factor`` synthetic copies of the effects, each with new study ids and jittered effects."""
    if factor == 1:
        return effects
    rng = np.random.default_rng(seed)
    copies = []
    for i in range(factor):
        c = effects.copy()
        c["study_id"] = c["study_id"] + f"-copy{i}"
        c["first_author"] = c["first_author"] + f" {i}"
        c["yi"] = c["yi"] + rng.normal(0, 0.2, len(c))
        copies.append(c)
    return pd.concat(copies, ignore_index=True)


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(factors=(1, 10, 100), repeat: int = 10) -> pd.DataFrame:
    base = study_effects(load_outcomes())
    rows = []
    for factor in factors:
        effects = scaled(base, factor)

        update(effects, Selection())  # the first call builds the chart template (reported separately below)
        times = []
        for sel in SELECTIONS:
            times += _time(lambda effects=effects, sel=sel: update(effects, sel), repeat)
        rows.append(
            {
                "data": f"{factor}x",
                "effects": len(effects),
                "task": "explorer update",
                "median ms": statistics.median(times),
                "max ms": max(times),
            }
        )
        times = _time(lambda effects=effects: forest_spec(effects), repeat)
        rows.append(
            {
                "data": f"{factor}x",
                "effects": len(effects),
                "task": "forest chart spec (template reused)",
                "median ms": statistics.median(times),
                "max ms": max(times),
            }
        )
        times = _time(lambda effects=effects: forest_chart(effects).to_dict(), max(2, repeat // 3))
        rows.append(
            {
                "data": f"{factor}x",
                "effects": len(effects),
                "task": "forest chart built and validated",
                "median ms": statistics.median(times),
                "max ms": max(times),
            }
        )
    return pd.DataFrame(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m book.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per case (default 10)")
    args = parser.parse_args(argv)
    table = run(repeat=args.repeat)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    print("\nGoal: at most 50 ms per explorer update at 100x.")


if __name__ == "__main__":
    main()
