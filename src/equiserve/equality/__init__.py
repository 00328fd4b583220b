"""Equality measures of an indicator across towns, groups and periods.

A plain package (Polars and numpy, no Django): gap and ratio between two groups,
coefficient of variation, Gini, Theil T and Theil L with their between/within
decomposition, sigma and beta convergence, and `summary` for all at once.
Formulas, and the treatment of zeros and weights, are in each docstring.

Names are imported on first use, so that `equiserve --help` (which imports
`equiserve.equality.cli`) does not load numpy and Polars.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_MODULES = {
    "InputError": "_input",
    "BetaConvergence": "convergence",
    "SigmaConvergence": "convergence",
    "beta_convergence": "convergence",
    "sigma_convergence": "convergence",
    "Decomposition": "measures",
    "GroupTerm": "measures",
    "cv": "measures",
    "gap": "measures",
    "gini": "measures",
    "ratio": "measures",
    "theil_l": "measures",
    "theil_l_decomposition": "measures",
    "theil_t": "measures",
    "theil_t_decomposition": "measures",
    "summary": "overview",
}

__all__ = [
    "BetaConvergence",
    "Decomposition",
    "GroupTerm",
    "InputError",
    "SigmaConvergence",
    "beta_convergence",
    "cv",
    "gap",
    "gini",
    "ratio",
    "sigma_convergence",
    "summary",
    "theil_l",
    "theil_l_decomposition",
    "theil_t",
    "theil_t_decomposition",
]

if TYPE_CHECKING:
    from equiserve.equality._input import InputError
    from equiserve.equality.convergence import (
        BetaConvergence,
        SigmaConvergence,
        beta_convergence,
        sigma_convergence,
    )
    from equiserve.equality.measures import (
        Decomposition,
        GroupTerm,
        cv,
        gap,
        gini,
        ratio,
        theil_l,
        theil_l_decomposition,
        theil_t,
        theil_t_decomposition,
    )
    from equiserve.equality.overview import summary


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    value = globals()[name] = getattr(module, name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
