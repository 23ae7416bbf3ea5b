"""What a chart with bound inputs shows for given input values, computed in Python from the chart's own data.

A chart's bound inputs (Vega-Lite parameters with ``bind``) filter its inline data with Vega expressions such as
``substance_choice == 'all' || datum.substance == substance_choice``. :func:`rows_shown` applies those filters,
with the parameters set to chosen values, to the rows the chart was built from (from ``data/``), so a practice
item's key is computed, never typed. Only the small expression language the book's filters use is understood
(``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``||``, ``&&``, ``!``, ``datum.field``, parameter names, numbers,
quoted strings, ``isValid``); anything else raises, so a new kind of filter is noticed, not misread.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["bound_inputs", "bound_params", "rows_shown", "setting_allowed", "to_python"]

_ALLOWED = re.compile(r"^[\s\w.'\"()=!<>|&+\-*/,]*$")


def to_python(expression: str) -> str:
    """A Vega filter expression as a Python expression over ``d`` (the row, a dict) and the parameters."""
    if not _ALLOWED.match(expression):
        raise ValueError(f"Filter expression not understood by book.teaching.chart_inputs: {expression!r}")
    py = expression.replace("===", "==").replace("!==", "!=")
    py = re.sub(r"datum\.(\w+)", r'd.get("\1")', py)
    py = py.replace("||", " or ").replace("&&", " and ")
    py = re.sub(r"!(?!=)", " not ", py)
    py = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", py))
    return py.replace("isValid(", "_valid(").strip()


def _valid(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def bound_params(spec: dict) -> dict:
    """Every parameter with a bound input in a Vega-Lite spec: name -> its starting value."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []) or []:
                if isinstance(p, dict) and "bind" in p and "name" in p:
                    found[p["name"]] = p.get("value")
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for child in node.get(key, []) or []:
                    walk(child)
            if "spec" in node:
                walk(node["spec"])

    walk(spec)
    return found


def _filters(spec: dict, params: set[str]) -> list[str]:
    """The string filters anywhere in the spec that read a bound parameter, each once, in order."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for t in node.get("transform", []) or []:
                f = t.get("filter") if isinstance(t, dict) else None
                if isinstance(f, str) and any(re.search(rf"\b{p}\b", f) for p in params) and f not in out:
                    out.append(f)
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for child in node.get(key, []) or []:
                    walk(child)

    walk(spec)
    return out


def rows_shown(chart, settings: dict, field: str) -> pd.DataFrame:
    """The rows of ``chart``'s data (the inline data set that has ``field``, the largest one) that its bound
    inputs' filters keep when the inputs are set to ``settings`` (unset inputs keep their starting values)."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    params = bound_params(spec)
    unknown = set(settings) - set(params)
    if unknown:
        raise ValueError(f"The chart has no bound input(s) {sorted(unknown)}; it has {sorted(params)}.")
    values = {**params, **settings}
    datasets = [rows for rows in spec.get("datasets", {}).values() if rows and field in rows[0]]
    if not datasets:
        raise ValueError(f"No data set of this chart has a field {field!r}.")
    rows = max(datasets, key=len)
    compiled = [compile(to_python(f), "<vega filter>", "eval") for f in _filters(spec, set(params))]
    scope = {"__builtins__": {}, "_valid": _valid, **values}
    kept = [d for d in rows if all(eval(c, scope, {"d": d}) for c in compiled)]  # noqa: S307 (own, checked grammar)
    return pd.DataFrame(kept, columns=list(rows[0]))


def bound_inputs(spec: dict) -> dict:
    """Every bound parameter of a Vega-Lite spec: name -> its ``bind`` (input kind, options or range)."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []) or []:
                if isinstance(p, dict) and "bind" in p and "name" in p:
                    found[p["name"]] = p["bind"]
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for child in node.get(key, []) or []:
                    walk(child)

    walk(spec)
    return found


def setting_allowed(bind: dict, value) -> bool:
    """Whether an input bound with ``bind`` can be set to ``value`` by a reader."""
    kind = bind.get("input")
    if kind in {"select", "radio"}:
        return value in bind.get("options", [])
    if kind == "checkbox":
        return isinstance(value, bool)
    if kind == "range":
        lo, hi, step = bind.get("min", 0), bind.get("max", 100), bind.get("step", 1)
        return lo <= value <= hi and abs(round((value - lo) / step) * step - (value - lo)) < 1e-9
    return False
