"""The deep report's sections, one module per section in the order the report reads.

Each module has ``render(r)`` from the report context (``sabkit.report.context.Report``)
to HTML; the notebook in ``parametrized/`` calls one per cell. ``CONTENTS`` lists the
headed sections in order, for the table of contents (``header``): a section's heading and
its entry there are the same string, so the links cannot drift.
"""

from __future__ import annotations

RESOLUTION = "Resolution and handover"
INSTRUCTIONS = "Instruction-following"
EXPERIENCE = "Customer experience"
SAFETY = "Adversarial safety"
TRAITS = "Strong and weak traits"
STABILITY = "Stability across runs"
COMPARES = "How it compares"
COST = "Cost and verbosity"
BOTTOM_LINE = "Bottom line"
SHORT = "The short version"
GLANCE = "At a glance"
USE_CASES = "Per-use-case performance"
APPENDIX = "Appendix: failing and quoted conversations"

CONTENTS = (SHORT, RESOLUTION, INSTRUCTIONS, EXPERIENCE, SAFETY, TRAITS, STABILITY, COMPARES,
            COST, BOTTOM_LINE, GLANCE, USE_CASES, APPENDIX)
