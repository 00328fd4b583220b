"""Sections other apps add to a half-yearly report (issue 17).

Monitoring knows no project: an app that has something a report should show
registers, in its `AppConfig.ready()`, a provider

    register_report_section("projects", provider)

that takes the report and its `Period` and returns a dict with a `template`
(and the context it reads) or None for nothing. The report page includes each
section, in name order, so the author does not retype what the app holds.
"""

from collections.abc import Callable

ReportSectionProvider = Callable[..., dict | None]

_PROVIDERS: dict[str, ReportSectionProvider] = {}


def register_report_section(name: str, provider: ReportSectionProvider) -> None:
    """Add (or replace) the section an app gives, keyed by the app's name."""
    _PROVIDERS[name] = provider


def report_sections(report, period) -> list[dict]:
    """Return the sections the registered apps give `report` for `period`."""
    sections = (_PROVIDERS[name](report, period) for name in sorted(_PROVIDERS))
    return [section for section in sections if section]
