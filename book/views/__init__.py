"""The views layer: what readers see, drawn from the evidence layer.

``kit`` (theme, sizes, colours, shared parameters, styled tables), ``vega`` (compiled Vega output), ``tables``,
one module per topic (``evidence`` and ``forest``, ``safety``, ``mechanisms``, ``outlook``, ``practice``,
``appraisal``) and ``widgets`` (the study explorer). Views import the evidence layer, never teaching, site or paper.
"""
