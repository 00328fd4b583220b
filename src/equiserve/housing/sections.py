"""The housing section of the registry's person page (the household's applications)."""

from equiserve.housing import permissions


def person_section(request, person) -> dict:
    """Return the applications of the person's household that the user may see."""
    if person.household_id is None or not permissions.reads_housing(request.user):
        return {"applications": []}
    applications = permissions.application_list_for(request.user).filter(
        household_id=person.household_id
    )
    return {"applications": list(applications.order_by("-pk"))}


def register_sections() -> None:
    """Add the household's housing applications to the registry's person page."""
    from equiserve.registry.sections import register_person_section

    register_person_section("housing/_person_section.html", person_section, order=30)
