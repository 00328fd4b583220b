"""Turn the caller's values, groups and weights into checked numpy arrays.

Every public measure accepts numpy arrays, Polars Series, lists, or column names
together with `data=` (a Polars DataFrame, or anything with `.columns` and
`[name]`). The checks live here so that every measure words its errors alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl


class InputError(ValueError):
    """Reject input to an equality measure; `index` is the first bad row (0-based)."""

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class Prepared:
    """Checked input: rows with zero weight are already dropped."""

    y: np.ndarray  # float64 values
    w: np.ndarray  # float64 weights, all > 0 (ones when unweighted)
    weighted: bool
    codes: np.ndarray | None  # intp group codes 0..k-1, or None
    labels: list[Any]  # group labels, sorted; codes index into them
    keep: np.ndarray | None = None  # rows kept of the input; None when all are

    @property
    def k(self) -> int:
        return len(self.labels)


def column(obj: Any, role: str, data: Any) -> Any:
    """Return `obj` itself, or the column of `data` it names."""
    if not isinstance(obj, str):
        return obj
    if data is None:
        raise InputError(
            f"{role} is the column name {obj!r} but no data frame was given "
            "(pass data=...)"
        )
    columns = list(data.columns)
    if obj not in columns:
        raise InputError(
            f"{role} column {obj!r} is not in the data; columns are: "
            + ", ".join(map(str, columns))
        )
    return data[obj]


def to_float(obj: Any, role: str) -> np.ndarray:
    """Return `obj` as a one-dimensional float64 array of finite numbers."""
    if isinstance(obj, pl.DataFrame):
        raise InputError(f"{role} is a DataFrame; pass a column name and data=...")
    if isinstance(obj, pl.Series):
        # Booleans are 0/1 indicators; an all-null column has the Null dtype.
        series = obj.cast(pl.Float64) if obj.dtype in (pl.Boolean, pl.Null) else obj
        if not series.dtype.is_numeric():
            raise InputError(f"{role} must be numbers; got the {series.dtype} {role}")
        missing = series.null_count()
        if missing:
            first = int(series.is_null().arg_true()[0])
            raise InputError(
                f"{role} have {missing} missing value(s); the first is at row {first}",
                index=first,
            )
        array = series.cast(pl.Float64).to_numpy()
    else:
        array = np.asarray(obj)
        if array.dtype.kind == "O":
            try:
                array = array.astype(np.float64)
            except (TypeError, ValueError):
                raise InputError(
                    f"{role} must be numbers; got non-numeric objects"
                ) from None
        elif array.dtype.kind not in "biuf":
            raise InputError(f"{role} must be numbers; got dtype {array.dtype}")
        array = array.astype(np.float64, copy=False)
    if array.ndim != 1:
        raise InputError(f"{role} must be one-dimensional; got shape {array.shape}")
    finite = np.isfinite(array)
    if not finite.all():
        first = int(np.argmin(finite))
        bad = int(array.size - np.count_nonzero(finite))
        raise InputError(
            f"{role} must be finite numbers; {bad} are NaN (missing) or infinite, "
            f"the first at row {first}",
            index=first,
        )
    return array


def to_codes(obj: Any, role: str) -> tuple[np.ndarray, list[Any]]:
    """Code group labels as 0..k-1 in sorted label order; return codes and labels."""
    if isinstance(obj, pl.Series):
        series = obj
    else:
        try:
            series = pl.Series(role, np.asarray(obj))
        except Exception as error:  # Polars raises several types here
            raise InputError(f"{role} could not be read as labels: {error}") from None
    if series.dtype in (pl.Categorical, pl.Enum):
        series = series.cast(pl.String)
    if series.dtype.is_float():
        series = series.fill_nan(None)
    missing = series.null_count()
    if missing:
        first = int(series.is_null().arg_true()[0])
        raise InputError(
            f"{role} have {missing} missing label(s); the first is at row {first}",
            index=first,
        )
    labels = series.unique().sort()
    if series.dtype == pl.String:
        # An Enum of the sorted labels codes them in one hashed pass.
        codes = series.cast(pl.Enum(labels)).to_physical()
    else:
        codes = series.replace_strict(
            labels,
            pl.Series(np.arange(len(labels), dtype=np.uint32)),
            return_dtype=pl.UInt32,
        )
    return codes.to_numpy().astype(np.intp), labels.to_list()


def _check_length(array_len: int, n: int, role: str) -> None:
    if array_len != n:
        raise InputError(f"{role} have {array_len} rows but values have {n}")


def prepare(
    values: Any,
    groups: Any = None,
    weights: Any = None,
    *,
    data: Any = None,
    measure: str,
    nonnegative: bool = True,
) -> Prepared:
    """Check and convert the input of `measure`; drop rows whose weight is zero.

    Weights count the people each value stands for: they must be finite and
    non-negative with a positive total. A row of weight zero stands for no one
    and is dropped, together with a group left without rows.
    """
    y = to_float(column(values, "values", data), "values")
    n = y.size
    if n == 0:
        raise InputError(f"values are empty: {measure} needs at least one value")
    if weights is None:
        w = np.ones(n)
    else:
        w = to_float(column(weights, "weights", data), "weights")
        _check_length(w.size, n, "weights")
        if w.min() < 0:
            first = int(np.argmax(w < 0))
            raise InputError(
                "weights must be non-negative (a weight counts the people a value "
                f"stands for); row {first} holds {w[first]:g}",
                index=first,
            )
        if not w.any():
            raise InputError("weights are all zero: the values stand for no one")
    codes = labels = None
    if groups is not None:
        codes, labels = to_codes(column(groups, "groups", data), "groups")
        _check_length(codes.size, n, "groups")
    if nonnegative and y.min() < 0:
        negative = y < 0
        first = int(np.argmax(negative))
        raise InputError(
            f"{measure} needs non-negative values; row {first} holds {y[first]:g} "
            f"({int(np.count_nonzero(negative))} negative value(s) in all)",
            index=first,
        )
    keep = None
    if weights is not None and not w.all():
        keep = w > 0
        y, w = y[keep], w[keep]
        if codes is not None:
            codes, labels = _recode(codes[keep], labels)
    return Prepared(
        y=y,
        w=w,
        weighted=weights is not None,
        codes=codes,
        labels=labels if labels is not None else [],
        keep=keep,
    )


def _recode(codes: np.ndarray, labels: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Drop labels that no longer have rows and renumber the codes."""
    present = np.bincount(codes, minlength=len(labels)) > 0
    if present.all():
        return codes, labels
    renumber = np.cumsum(present) - 1
    kept = [label for label, keep in zip(labels, present, strict=True) if keep]
    return renumber[codes], kept


def require_positive_mean(prep: Prepared, measure: str) -> None:
    """Reject values that are all zero: measures divide by the mean."""
    if not prep.y.any():
        raise InputError(
            f"values are all zero, so the mean is zero and {measure} (which divides "
            "by the mean) is undefined"
        )


def require_positive(prep: Prepared, measure: str, role: str = "values") -> None:
    """Reject zeros: measures that take the log of each value need y > 0."""
    zero = prep.y == 0
    if zero.any():
        raise InputError(
            f"{measure} needs strictly positive {role} because it takes the log of "
            f"each one; {int(np.count_nonzero(zero))} {role} are zero (Theil T and "
            "Gini accept zeros)"
        )
