"""How a benchmark reports a figure: one JSON line that bench/run.py collects."""

import json


def emitter(bench: str):
    """Return `emit(metric, value, unit, aim)` printing `bench`'s figures."""

    def emit(metric: str, value, unit: str = "", aim: str = "") -> None:
        if isinstance(value, float):
            value = round(value, 3)
        record = {"bench": bench, "metric": metric, "value": value}
        print(
            json.dumps({**record, "unit": unit, "aim": aim}, ensure_ascii=False),
            flush=True,
        )

    return emit
