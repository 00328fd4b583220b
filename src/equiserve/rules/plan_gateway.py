"""The one way Django code reaches the plan (issue 11): `plan()` and `parameter_on()`.

The plan is the folder in settings.EQUISERVE_PLAN_DIR, loaded and checked by the
policy engine once and kept until a file in the folder changes (its path, size or
modification time, looked at most once a second), so an edited plan is read again
without a restart. No other
Django module calls `load_plan` or parses the plan's YAML itself (a test holds
that); plain packages (policy, simulation, synth, …) receive the plan as an
argument instead.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from equiserve.policy.plan import Plan, load_plan

# Looking at every file takes milliseconds; a page may ask for the plan many times.
CHECK_SECONDS = 1.0
_lock = threading.Lock()
_loaded: dict[Path, tuple[tuple, Plan]] = {}
_checked: dict[Path, float] = {}


_resolved: dict[str, tuple[float, Path]] = {}


def plan_dir() -> Path:
    """Return the plan folder the site serves (settings.EQUISERVE_PLAN_DIR).

    Resolved at most once per CHECK_SECONDS: a list of cases asks for the plan
    for every row, and resolving the path took a fifth of its time; a folder
    swapped behind a symbolic link is still seen within the second.
    """
    folder = str(settings.EQUISERVE_PLAN_DIR)
    now = time.monotonic()
    found = _resolved.get(folder)
    if found is None or now - found[0] >= CHECK_SECONDS:
        found = (now, Path(folder).resolve())
        _resolved[folder] = found
    return found[1]


def _signature(folder: Path) -> tuple:
    """Return what changes when any file of the plan changes: names, sizes, mtimes."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # removed while we looked: the next call sees it gone
            found.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def plan(folder: Path | str | None = None) -> Plan:
    """Return the checked plan of `folder` (default EQUISERVE_PLAN_DIR), reloaded
    when one of its files changed.

    Raises PlanLoadError (file:line) when the folder holds a defective plan.
    """
    folder = Path(folder).resolve() if folder is not None else plan_dir()
    now = time.monotonic()
    cached = _loaded.get(folder)
    if cached is not None and now - _checked.get(folder, 0.0) < CHECK_SECONDS:
        return cached[1]
    signature = _signature(folder)
    with _lock:
        cached = _loaded.get(folder)
        if cached is None or cached[0] != signature:
            cached = (signature, load_plan(folder, reload=cached is not None))
            _loaded[folder] = cached
        _checked[folder] = now
        return cached[1]


def parameter_on(name: str, day: dt.date) -> Any:
    """Return the value of plan parameter `name` in force on `day` (None if none).

    A repealed parameter (a null value) is None too. KeyError for an unknown name.
    """
    found = plan().parameters[name].at(day)
    return None if found is None else found.value
