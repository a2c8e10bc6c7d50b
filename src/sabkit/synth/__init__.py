"""The sample benchmark: a seeded, deterministic SupportAgentBench on the Northline desk.

``sabkit synth --out data/sample --seed 0`` (or ``generate(out, seed)``) reads one profile
per model from ``profiles/*.toml`` and writes the seven contract tables plus
``planted.json``. Modules, in the order the data flows: ``cases`` (the 162 cases and the
tools), ``orders`` (the order book behind them), ``profiles`` (what each model does),
``plan`` (which conversation carries which planted outcome), ``conversation`` (the
transcript), ``judge`` (scores and rationales), ``generate`` (the Parquet), ``scale``
(K-times larger benchmarks by tiling). See docs/sample-data.md.
"""

from sabkit.synth.generate import generate

__all__ = ["generate"]
