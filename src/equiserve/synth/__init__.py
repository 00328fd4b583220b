"""A synthetic population of Zhongshan, calibrated to published figures.

Plain Python (no Django). `synthesize()` writes persons and households as
Parquet; docs/DATA.md says how every figure is calibrated.
"""

from equiserve.synth.generate import SynthSummary, synthesize

__all__ = ["SynthSummary", "synthesize"]
