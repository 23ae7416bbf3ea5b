"""The site benchmark's load order (benchmarks/site.py): every page in every round, each round starting further on."""

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("benchmark_site", Path(__file__).parent.parent / "benchmarks" / "site.py")
benchmark = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = benchmark  # its dataclasses look their module up there
_spec.loader.exec_module(benchmark)


def test_every_round_loads_every_page_once():
    order = benchmark.rounds(["a", "b", "c"], 5)
    assert len(order) == 5
    assert all(sorted(one) == ["a", "b", "c"] for one in order)


def test_each_round_starts_one_page_further_on():
    assert benchmark.rounds(["a", "b", "c"], 4) == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]


def test_no_pages_no_rounds():
    assert benchmark.rounds([], 5) == []
