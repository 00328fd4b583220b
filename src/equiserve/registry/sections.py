"""Sections other apps add to the person page (the cases app: the person's cases).

An app registers a section once, in its `AppConfig.ready()`:

    register_person_section(
        "cases/_person_cases.html", person_cases_context, order=10
    )

The person page includes each template, in order, inside its
`{% block person_cases %}`, with the context the function returns (given the
request and the person, already checked by `access_person`) under `section`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from equiserve.registry.models import Person


@dataclass(frozen=True)
class PersonSection:
    template: str
    context: Callable[[HttpRequest, Person], dict]
    order: int = 100


_SECTIONS: dict[str, PersonSection] = {}


def register_person_section(
    template: str, context: Callable[[HttpRequest, Person], dict], *, order: int = 100
) -> None:
    """Add (or replace) a section of the person page, keyed by its template."""
    _SECTIONS[template] = PersonSection(template, context, order)


def person_sections(request: HttpRequest, person: Person) -> list[dict]:
    """Return [{"template", "context"}] of the registered sections, in order."""
    return [
        {"template": section.template, "context": section.context(request, person)}
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.template))
    ]
