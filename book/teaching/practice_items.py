"""The practice items: one or more per chart with bound inputs shown in a chapter, and one per StudyExplorer.

Each item's ``build`` draws the chart as its chapter does; its key is computed from the rows the chart shows with
the item's inputs set (see :mod:`book.teaching.practice`). Question texts name the inputs by their on-screen labels.
"""

from __future__ import annotations

from .practice_builders import (
    _arms,
    _bioavailability,
    _claims,
    _dosing,
    _effects,
    _evidence_map,
    _exclusions,
    _forest,
    _harms,
    _listed,
    _overview,
    _pooled,
    _power,
    _power_key,
    _protocol,
    _rare_events,
    _registrations,
    _rob,
    _rule_of_three_key,
)
from .practice_model import Practice, _arm_gap, _count, _excludes_null


def _gap(substance, chapter, label, objectives):
    return Practice(
        label=label,
        chapter=chapter,
        needs="arm_comparison_chart",
        question=(
            f"In the chart of ketamine and comparison arms, set Substance to {substance}. Hover over the two points: "
            "by how many percentage points is the ketamine arm above the comparison arm (negative if below), "
            "to the nearest whole point?"
        ),
        settings={"substance_choice": substance},
        key=_arm_gap,
        field="result",
        build=_arms(chapter_substance(chapter)),
        tolerance=0.5,
        why="A difference between arms, in percentage points; a ratio would put the same two figures differently.",
        hint="Read the percentage of each arm in its tooltip and subtract the comparison arm from the ketamine arm.",
        objectives=objectives,
    )


def chapter_substance(chapter):
    return {"alcohol": "alcohol", "cocaine-and-stimulants": "cocaine", "opioids": "opioids"}[chapter]


_RATIO_WHY = "A ratio's 95% CI excludes no effect when both its limits lie on the same side of 1."
_RATIO_HINT = "Count the results whose line does not cross the dashed line at 1."

ITEMS: list[Practice] = [
    Practice(
        "practice-about-overview",
        "about-the-evidence",
        "study_overview_chart",
        "In the overview of the studies, set Substance to opioids and the design drop-down to randomized: "
        "how many studies does the chart show?",
        {"substance_choice": "opioids", "randomized_choice": "randomized"},
        _count("label"),
        "label",
        _overview,
        why="Only a minority of the opioid studies randomized their participants.",
        hint="Choose the two values in the drop-downs above the chart and count the rows.",
        objectives=(2,),
    ),
    Practice(
        "practice-about-dosing",
        "about-the-evidence",
        "dosing_chart",
        "In the dosing chart, set Substance to alcohol and tick 'With psychotherapy only': how many studies remain?",
        {"substance_choice": "alcohol", "therapy_only": True},
        _count("study"),
        "study",
        _dosing,
        why="Most alcohol studies in the data gave ketamine without a psychological treatment.",
        hint="Choose alcohol, tick the box, and count the studies on the chart's rows.",
        objectives=(2,),
    ),
    _gap("cocaine", "alcohol", "practice-alcohol-arms", (4,)),
    Practice(
        "practice-alcohol-effects",
        "alcohol",
        "reported_effects_chart",
        "In the chart of between-group effects, set Substance to cocaine and Effect measure to HR: what is the upper "
        "limit of the hazard ratio's 95% confidence interval (hover over the line)?",
        {"substance_choice": "cocaine", "effect_measure": "HR"},
        lambda r: float(r["ci_upper"].max()),
        "result",
        _effects("alcohol"),
        tolerance=0.005,
        why="An upper limit below 1 means the interval excludes no effect.",
        hint="Choose cocaine and HR, then read the interval in the line's tooltip.",
        objectives=(4,),
    ),
    _gap("alcohol", "cocaine-and-stimulants", "practice-cocaine-arms", (3,)),
    Practice(
        "practice-cocaine-effects",
        "cocaine-and-stimulants",
        "reported_effects_chart",
        "In the chart of between-group effects, set Substance to alcohol and Effect measure to OR: what is the upper "
        "limit of the odds ratio's 95% confidence interval (hover over the line)?",
        {"substance_choice": "alcohol", "effect_measure": "OR"},
        lambda r: float(r["ci_upper"].max()),
        "result",
        _effects("cocaine"),
        tolerance=0.005,
        why="An upper limit below 1 means the interval excludes no effect.",
        hint="Choose alcohol and OR, then read the interval in the line's tooltip.",
        objectives=(3,),
    ),
    _gap("cocaine", "opioids", "practice-opioids-arms", (1,)),
    Practice(
        "practice-clinical-protocols",
        "clinical-practice",
        "protocol_chart",
        "In the chart of protocols, set Substance to alcohol, untick 'With a psychological treatment only' and set the "
        "kind of treatment to 'none reported': how many alcohol studies report no psychological treatment?",
        {"substance_choice": "alcohol", "psychological_only": False, "therapy_kind": "none reported"},
        _count("label"),
        "label",
        _protocol,
        why="Many studies gave ketamine alone; the chart's default view hides them.",
        hint="Untick the box first: with it ticked, studies without a psychological treatment are hidden.",
        objectives=(1, 3),
    ),
    Practice(
        "practice-compare-forest",
        "comparing-the-evidence",
        "forest_chart",
        "In the forest chart, keep Substance at all substances and Effect measure at OR, and tick 'Randomized studies "
        "only': how many results remain whose 95% confidence interval excludes no effect (an odds ratio of 1)?",
        {"substance_choice": "all", "effect_measure": "OR", "randomized_only": True},
        _count("label", _excludes_null),
        "label",
        _forest,
        why="Restricting to randomized studies leaves less evidence; what remains is less open to confounding.",
        hint="Tick the box and count the lines that do not cross the dashed line of no difference.",
        objectives=(1,),
    ),
    Practice(
        "practice-mechanisms-map",
        "mechanisms",
        "evidence_map_chart",
        "In the evidence map, set 'Drug of misuse' to cocaine: for how many different mechanisms does the map show "
        "at least one piece of evidence?",
        {"drug_choice": "cocaine"},
        _count("mechanism", lambda r: ~r["grid"].astype(bool)),
        "mechanism",
        _evidence_map,
        why="Few mechanisms have been studied with cocaine.",
        hint="Count the rows with at least one mark after choosing cocaine.",
        objectives=(2,),
    ),
    Practice(
        "practice-mechanisms-bioavailability",
        "mechanisms",
        "bioavailability_chart",
        "In the bioavailability chart, set the drug to racemic ketamine: what is the lowest bioavailability shown, in percent?",
        {"drug_shown": "ketamine (racemic)"},
        lambda r: float(r["percent"].min()),
        "percent",
        _bioavailability,
        tolerance=0.5,
        why="Bioavailability depends on the route: compare the intranasal and oral rows.",
        hint="Choose racemic ketamine and read the shortest bar (hover for its value).",
        objectives=(5,),
    ),
    Practice(
        "practice-mechanisms-dosing",
        "mechanisms",
        "dosing_chart",
        "In the dosing chart, set Substance to opioids and tick 'With psychotherapy only': how many studies remain?",
        {"substance_choice": "opioids", "therapy_only": True},
        _count("study"),
        "study",
        _dosing,
        why="A dose given with psychotherapy is one part of a protocol, not a dose to copy.",
        hint="Choose opioids, tick the box, and count the rows.",
        objectives=(5,),
    ),
    Practice(
        "practice-other-registrations",
        "other-substances",
        "registrations_chart",
        "In the chart of registered trials, set Substance to methamphetamine and Status to unknown: how many "
        "registrations does the chart show?",
        {"registered_substance": "methamphetamine", "registered_status": "unknown"},
        _count("label"),
        "label",
        _registrations,
        why="A registration whose status is unknown tells you little about results to come.",
        hint="Choose both values and count the rows.",
        objectives=(2,),
    ),
    Practice(
        "practice-outlook-registrations",
        "outlook",
        "registrations_chart",
        "In the chart of registered trials, set Substance to alcohol and Status to withdrawn: how many registrations "
        "does the chart show?",
        {"registered_substance": "alcohol", "registered_status": "withdrawn"},
        _count("label"),
        "label",
        _registrations,
        why="A withdrawn registration will not report results.",
        hint="Choose both values and count the rows.",
        objectives=(2,),
    ),
    Practice(
        "practice-outlook-power",
        "outlook",
        "power_chart",
        "In the power chart, set 'Abstinent with control' to 0.30, 'Difference to detect' to 0.15, the significance "
        "level to 5% and Power to 90%: how many participants per arm does the chart say are needed?",
        {"control_share": 0.30, "target_difference": 0.15, "alpha_level": 0.05, "power_level": 0.9},
        _power_key,
        None,
        _power,
        why="A smaller difference or more power needs more participants.",
        hint="Move both sliders to the exact values (arrow keys move them one step) and read the label by the dashed line.",
        objectives=(3,),
    ),
    Practice(
        "practice-review-claims",
        "reading-a-review",
        "claims_chart",
        "In the chart of the review's claims, set the section to 'Opioid Use Disorder (OUD)' and the verdict to "
        "unsupported: how many claims does the chart show?",
        {"section_choice": "Opioid Use Disorder (OUD)", "verdict_choice": "unsupported"},
        _count("claim_id"),
        "claim_id",
        _claims,
        why="An unsupported claim has no support in the source it cites.",
        hint="Choose both values and count the marks.",
        objectives=(1,),
    ),
    Practice(
        "practice-review-rob",
        "reading-a-review",
        "rob_chart",
        "In the risk-of-bias chart, set the tool to 'RoB 2 (crossover)': how many judgements are 'high'?",
        {"tool_choice": "RoB 2 (crossover)"},
        lambda r: float((r["judgement"] == "high").sum()),
        "judgement",
        _rob,
        why="The crossover version of RoB 2 adds a domain for period and carryover effects.",
        hint="Choose the crossover tool and count the cells marked high (domains and overall).",
        objectives=(3,),
    ),
    Practice(
        "practice-safety-trial-harms",
        "safety",
        "harms_chart",
        "In the chart of harms in the clinical studies, set Substance to cocaine and the kind of harm to "
        "'dissociation and psychotomimetic effects': from how many studies do these results come?",
        {"substance_choice": "cocaine", "harm_kind_choice": "dissociation and psychotomimetic effects"},
        _count("source"),
        "source",
        _harms("trial", harm_kind="any adverse event", title="Harms in the clinical studies, as reported"),
        why="Several results can come from one study: count studies, not rows.",
        hint="Choose both values and count the different study names.",
        objectives=(2,),
    ),
    Practice(
        "practice-safety-other-condition",
        "safety",
        "harms_chart",
        "In the chart of harms in patients treated for another condition, set the kind of harm to 'urinary tract': "
        "how many results does the chart show?",
        {"harm_kind_choice": "urinary tract"},
        _count("row"),
        "row",
        _harms("patients treated for another condition", with_substance_input=False, harm_kind="blood pressure and heart rate"),
        why="These come from product information about supervised, prescribed use.",
        hint="Choose the kind of harm and count the rows.",
        objectives=(4,),
    ),
    Practice(
        "practice-safety-nonmedical",
        "safety",
        "harms_chart",
        "In the chart of harms in people using ketamine non-medically, set the kind of harm to 'urinary tract': from "
        "how many sources do these results come?",
        {"harm_kind_choice": "urinary tract"},
        _count("source"),
        "source",
        _harms("people using ketamine non-medically", with_substance_input=False),
        why="Bladder harm is reported from frequent, high-dose use: several sources.",
        hint="Choose the kind of harm and count the different sources.",
        objectives=(4,),
    ),
    Practice(
        "practice-safety-exclusions",
        "safety",
        "exclusions_chart",
        "In the chart of exclusions, set Substance to cannabis: how many marks say a condition was excluded?",
        {"substance_choice": "cannabis"},
        lambda r: float((r["status"] == "excluded").sum()),
        "status",
        _exclusions,
        why="Whom a trial excluded limits whom its results apply to.",
        hint="Choose cannabis and count the 'excluded' marks.",
        objectives=(5,),
    ),
    Practice(
        "practice-safety-rare-events",
        "safety",
        "rare_events_chart",
        "In the chart 'What a study of this size can see', set 'Participants in the study' to 300: the rule-of-three "
        "line then marks a risk of 1 in how many?",
        {"study_size": 300},
        _rule_of_three_key,
        None,
        _rare_events,
        why="With no case among n people, risks up to about 3/n cannot be ruled out.",
        hint="Move the slider to 300 and read the label by the dashed line.",
        objectives=(6,),
    ),
    Practice(
        "practice-alcohol-explorer",
        "alcohol",
        "StudyExplorer",
        "Needs a running kernel (JupyterLab). In the explorer, keep alcohol selected and set Psychotherapy to "
        "'with psychotherapy': how many results does the explorer list? (On the website, without a kernel: the forest "
        "chart in 'Comparing the evidence' shows the alcohol results, one per row, and the dosing chart which "
        "alcohol studies had psychotherapy.)",
        {"substances": ("alcohol",), "psychotherapy": "with psychotherapy"},
        _listed,
        None,
        why="The explorer filters the between-group effects; the table under it lists them.",
        hint="Run the cell, change the drop-down and count the rows of the table.",
        objectives=(2,),
    ),
    Practice(
        "practice-cocaine-explorer",
        "cocaine-and-stimulants",
        "StudyExplorer",
        "Needs a running kernel (JupyterLab). In the explorer, unselect cocaine (no substance selected = all) and set "
        "Psychotherapy to 'without psychotherapy': how many results does it list? (On the website, without a kernel: "
        "the forest chart in 'Comparing the evidence' shows every result; the dosing chart shows which studies had "
        "psychotherapy.)",
        {"psychotherapy": "without psychotherapy"},
        _listed,
        None,
        why="Without psychotherapy, ketamine's effect is tested alone.",
        hint="Ctrl-click (Cmd-click) cocaine to unselect it, change the drop-down and count the table's rows.",
        objectives=(1,),
    ),
    Practice(
        "practice-compare-explorer",
        "comparing-the-evidence",
        "StudyExplorer",
        "Needs a running kernel (JupyterLab). In the explorer, select alcohol and set Effect measure to MD: what is "
        "the pooled mean difference, to one decimal? (On the website, without a kernel: set the forest chart above to "
        "alcohol and MD; its pooled row shows the same estimate.)",
        {"substances": ("alcohol",), "measure": "MD"},
        _pooled,
        None,
        tolerance=0.05,
        why="A pooled estimate of results this different is a summary, not a prediction: look at tau².",
        hint="Select alcohol, choose MD, and read the pooled estimate under the controls (or explorer.pooled).",
        objectives=(3,),
    ),
]
