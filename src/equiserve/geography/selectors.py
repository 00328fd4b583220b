"""Read the geography: towns and their villages."""

from django.db.models import QuerySet

from equiserve.geography.models import Town, Village


def town_list() -> QuerySet[Town]:
    """Return all towns, ordered by code."""
    return Town.objects.order_by("code")


def town_get(code: str) -> Town:
    """Return the town with this 9-digit (or 12-digit) code; raise Town.DoesNotExist."""
    code = str(code).strip()
    if len(code) == 12:
        return Town.objects.get(code_12=code)
    return Town.objects.get(code=code)


def village_list(town_code: str | None = None) -> QuerySet[Village]:
    """Return villages and communities, of one town if given, ordered by code."""
    villages = Village.objects.select_related("town").order_by("code")
    if town_code is not None:
        villages = villages.filter(town_id=town_code)
    return villages
