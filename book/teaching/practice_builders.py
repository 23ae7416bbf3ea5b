"""Builders for the practice items: each chart drawn as its chapter draws it, and the keys that need more than a count.

See :mod:`book.teaching.practice` and :mod:`book.teaching.practice_items`.
"""

from __future__ import annotations


def _studies():
    from ..evidence.loaders import load_studies

    return load_studies()


def _outcomes():
    from ..evidence.loaders import load_outcomes

    return load_outcomes()


def _overview():
    from ..views.evidence import study_overview_chart

    return study_overview_chart(_studies())


def _dosing():
    from ..views.evidence import dosing_chart

    return dosing_chart(_studies())


def _arms(substance):
    from ..views.evidence import arm_comparison_chart

    return lambda: arm_comparison_chart(_outcomes(), substance=substance)


def _effects(substance):
    from ..views.evidence import reported_effects_chart

    return lambda: reported_effects_chart(_outcomes(), substance=substance)


def _forest():
    from ..evidence.effects import study_effects
    from ..views.forest import forest_chart

    return forest_chart(study_effects(_outcomes()))


def _protocol():
    from ..evidence.loaders import load_protocols
    from ..views.practice import protocol_chart

    return protocol_chart(load_protocols(), therapy_only=True)


def _evidence_map():
    from ..evidence.loaders import load_mechanisms
    from ..views.mechanisms import evidence_map_chart

    return evidence_map_chart(load_mechanisms())


def _bioavailability():
    from ..evidence.loaders import load_pharmacology
    from ..views.mechanisms import bioavailability_chart

    return bioavailability_chart(load_pharmacology())


def _registrations():
    from ..evidence.loaders import load_registrations
    from ..views.outlook import registrations_chart

    return registrations_chart(load_registrations())


def _power():
    from ..views.outlook import power_chart

    return power_chart(_outcomes())


def _claims():
    from ..evidence.loaders import load_review_claims
    from ..views.appraisal import claims_chart

    return claims_chart(load_review_claims())


def _rob():
    from ..evidence.loaders import load_risk_of_bias
    from ..views.appraisal import rob_chart

    return rob_chart(load_risk_of_bias())


def _harms(population, **kwargs):
    def build():
        from ..evidence.loaders import load_harms
        from ..views.safety import harms_chart

        if population == "trial":
            from ..evidence.loaders import TRIAL_POPULATION
            from ..views.safety_summary import with_study_labels

            return harms_chart(with_study_labels(load_harms(population=TRIAL_POPULATION)), **kwargs)
        return harms_chart(load_harms(population=population), **kwargs)

    return build


def _exclusions():
    from ..evidence.loaders import load_safety_procedures
    from ..views.safety import exclusions_chart

    return exclusions_chart(load_safety_procedures())


def _rare_events():
    from ..views.safety import rare_events_chart

    return rare_events_chart(start_n=50)


def _power_key(rows):
    from ..evidence.effects import participants_per_arm

    r = rows.iloc[0]
    p1 = float(r["control_share"])
    return float(participants_per_arm(p1, min(p1 + float(r["target_difference"]), 0.99), r["alpha_level"], r["power_level"]))


def _rule_of_three_key(rows):
    from ..evidence.effects import rule_of_three

    return round(1 / rule_of_three(int(rows.iloc[0]["study_size"])), 0)


def _listed(rows):
    return float(len(rows))


def _pooled(rows):
    pooled = rows.attrs.get("pooled")
    return round(float(pooled.estimate), 1)
