"""The book's written rule for an overall risk-of-bias judgement, as one pure function per tool.

The rule is written out in ``data/extraction-notes/appraisal.md`` ("The book's algorithm") and taught in the chapter
*Reading a review critically*. It is applied the same way to every row of ``data/risk_of_bias.csv``:

**RoB 2** (randomized trials; the crossover variant adds the period-and-carryover domain "DS", counted like any other):

- *low* only if every domain is low;
- *high* if any domain is high, **or** if :data:`ROB2_SEVERAL` (three) or more domains have some concerns. RoB 2 itself
  says "high" also when some concerns in multiple domains together substantially lower confidence in the result,
  and leaves "multiple" to the assessor; the book makes it a number so that every trial is judged alike;
- *some concerns* otherwise (at least one domain with some concerns, none high, fewer than three with some concerns).

**ROBINS-I** (non-randomized studies of interventions with a comparison group), the tool's own overall rule:

- *critical* if any domain is critical; otherwise *serious* if any domain is serious;
- otherwise *no information* if any domain has no information (the book treats every domain as a key domain);
- otherwise *moderate* if any domain is moderate, and *low* only if every domain is low.

**not assessed** (no comparison group): the overall judgement is "not assessed", with the reason in the row.

:func:`check_rob_table` applies the rule to a whole table and returns one message per overall row that does not
follow from its domains; :func:`risk_of_bias_overall` is the same check registered as one of the book's rules
(``python -m book validate``), its messages naming file, line and field. :func:`explain_overall` is the worked
example of *Reading a review critically*.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .base import Context, rule

__all__ = [
    "ROB2_SEVERAL",
    "ROB2_JUDGEMENTS",
    "ROBINS_JUDGEMENTS",
    "rob2_overall",
    "robins_i_overall",
    "overall_from_domains",
    "check_rob_table",
    "explain_overall",
    "risk_of_bias_overall",
]

#: How many domains with "some concerns" make a RoB 2 result "high" overall (the book's reading of "multiple domains
#: in a way that substantially lowers confidence in the result").
ROB2_SEVERAL = 3

ROB2_JUDGEMENTS = ("low", "some concerns", "high")
ROBINS_JUDGEMENTS = ("low", "moderate", "serious", "critical", "no information")
_NOT_ASSESSED = "not assessed"


def _checked(judgements: Iterable[str], allowed: tuple[str, ...], tool: str) -> list[str]:
    values = [str(j).strip() for j in judgements]
    if not values:
        raise ValueError(f"{tool}: an overall judgement needs at least one domain judgement")
    unknown = sorted({v for v in values if v not in allowed})
    if unknown:
        raise ValueError(f"{tool} judges {', '.join(allowed)}; not {', '.join(repr(u) for u in unknown)}")
    return values


def rob2_overall(judgements: Iterable[str], several: int = ROB2_SEVERAL) -> str:
    """The RoB 2 overall judgement the book's rule gives for these domain judgements.

    >>> rob2_overall(["low"] * 5)
    'low'
    >>> rob2_overall(["some concerns", "some concerns", "low", "low", "low"])
    'some concerns'
    >>> rob2_overall(["some concerns"] * 3 + ["low"] * 2)
    'high'
    >>> rob2_overall(["high", "low", "low", "low", "low"])
    'high'
    """
    values = _checked(judgements, ROB2_JUDGEMENTS, "RoB 2")
    if "high" in values or values.count("some concerns") >= several:
        return "high"
    if all(v == "low" for v in values):
        return "low"
    return "some concerns"


def robins_i_overall(judgements: Iterable[str]) -> str:
    """The ROBINS-I overall judgement from its domain judgements (the tool's own rule; see the module docstring).

    >>> robins_i_overall(["serious", "no information", "low", "moderate", "low", "low", "low"])
    'serious'
    >>> robins_i_overall(["moderate", "low", "no information", "low", "low", "low", "low"])
    'no information'
    """
    values = _checked(judgements, ROBINS_JUDGEMENTS, "ROBINS-I")
    for level in ("critical", "serious", "no information", "moderate"):
        if level in values:
            return level
    return "low"


def overall_from_domains(tool: str, judgements: Iterable[str]) -> str:
    """The overall judgement for ``tool`` ("RoB 2", "RoB 2 (crossover)", "ROBINS-I" or "not assessed")."""
    if tool.startswith("RoB 2"):
        return rob2_overall(judgements)
    if tool == "ROBINS-I":
        return robins_i_overall(judgements)
    if tool == _NOT_ASSESSED:
        return _NOT_ASSESSED
    raise ValueError(f"Unknown tool {tool!r}: the book uses RoB 2, RoB 2 (crossover), ROBINS-I or not assessed")


def _why(tool: str, judgements: list[str]) -> str:
    if tool.startswith("RoB 2"):
        n_high, n_some = judgements.count("high"), judgements.count("some concerns")
        return f"{n_high} domain(s) high, {n_some} with some concerns; 'high' from {ROB2_SEVERAL} with some concerns"
    counts = {level: judgements.count(level) for level in ROBINS_JUDGEMENTS if level in judgements}
    return ", ".join(f"{n} {level}" for level, n in counts.items())


def check_rob_table(frame: pd.DataFrame) -> list[str]:
    """One message per study whose overall row does not follow from its domain rows under the book's rule.

    ``frame`` has the columns of ``data/risk_of_bias.csv`` (at least ``assessment_id``, ``study_id``, ``tool``,
    ``domain``, ``judgement``). A study with no overall row, several, or a judgement outside its tool's vocabulary
    also gets one message. An empty list means every overall judgement follows the rule.
    """
    problems: list[str] = []
    for study_id, rows in frame.groupby("study_id", sort=False):
        overall = rows[rows["domain"] == "overall"]
        domains = rows[rows["domain"] != "overall"]
        tools = set(rows["tool"])
        if len(overall) != 1 or len(tools) != 1:
            problems.append(f"{study_id}: needs exactly one tool and one overall row (found {len(overall)} overall rows)")
            continue
        (tool,) = tools
        row = overall.iloc[0]
        label = row.get("assessment_id", f"{study_id} overall")
        judgements = [str(j) for j in domains["judgement"]]
        problem = _overall_problem(label, tool, judgements, str(row["judgement"]))
        if problem:
            problems.append(problem)
    return problems


def explain_overall(frame: pd.DataFrame, study_id: str) -> str:
    """The book's rule applied to one study, in words: its domains, what the worst domain alone would give, and the
    overall judgement the rule gives (for the worked example in *Reading a review critically*)."""
    rows = frame[frame["study_id"] == study_id]
    if rows.empty:
        raise ValueError(f"No risk-of-bias rows for {study_id!r}")
    tool = rows["tool"].iloc[0]
    domains = rows[rows["domain"] != "overall"]
    if domains.empty:
        return f"{study_id}: {tool} (no domains judged)."
    judgements = [str(j) for j in domains["judgement"]]
    lines = [f"{study_id} ({tool})"]
    lines += [f"  {d}: {j}" for d, j in zip(domains["domain"], judgements)]
    expected = overall_from_domains(tool, judgements)
    if tool.startswith("RoB 2"):
        worst = max(judgements, key=ROB2_JUDGEMENTS.index)
        lines.append(
            f"Domains with some concerns: {judgements.count('some concerns')}; high: {judgements.count('high')}. "
            f"The worst domain alone would say '{worst}'."
        )
        lines.append(
            f"RoB 2 with the book's threshold ({ROB2_SEVERAL} or more domains with some concerns, or any high): '{expected}'."
        )
    else:
        lines.append(f"{tool}'s overall rule gives '{expected}'.")
    given = rows.loc[rows["domain"] == "overall", "judgement"]
    if len(given) == 1:
        lines.append(f"Recorded in data/risk_of_bias.csv: '{given.iloc[0]}'.")
    return "\n".join(lines)


def _overall_problem(where: str, tool: str, judgements: list[str], given: str) -> str | None:
    """The message for an overall judgement that does not follow from its domains (None if it does)."""
    if tool == _NOT_ASSESSED:
        if not judgements and given == _NOT_ASSESSED:
            return None
        return f"{where}: a study that is not assessed has one row, judged 'not assessed'"
    try:
        expected = overall_from_domains(tool, judgements)
    except ValueError as error:
        return f"{where}: {error}"
    if given == expected:
        return None
    return (
        f"{where}: overall '{given}' does not follow from its domains under the book's rule; "
        f"expected '{expected}' ({tool}: {_why(tool, judgements)})"
    )


@rule
def risk_of_bias_overall(ctx: Context) -> list[str]:
    """Every overall risk-of-bias judgement follows from its domains under the book's rule (module docstring).

    A study without exactly one tool and one overall row is left to :func:`..appraisal.risk_of_bias_rows`, which
    reports it; so is a judgement outside its tool's vocabulary (reported there against its own line)."""
    rob = ctx.tables["risk_of_bias"]
    rob_file = ctx.file("risk_of_bias")
    problems = []
    for _, rows in rob.groupby("study_id", sort=False):
        overall = rows[rows["domain"] == "overall"]
        if len(overall) != 1 or rows["tool"].nunique() != 1:
            continue
        tool = str(rows["tool"].iloc[0])
        judgements = [str(j) for j in rows.loc[rows["domain"] != "overall", "judgement"]]
        allowed = ROB2_JUDGEMENTS if tool.startswith("RoB 2") else ROBINS_JUDGEMENTS if tool == "ROBINS-I" else None
        if allowed is not None and (not judgements or set(judgements) - set(allowed)):
            continue
        where = f"{rob_file}, line {overall.index[0]}, field 'judgement'"
        problem = _overall_problem(where, tool, judgements, str(overall["judgement"].iloc[0]))
        if problem:
            problems.append(problem)
    return problems
