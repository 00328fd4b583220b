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


def town_codes_by_name() -> dict[str, str]:
    """Map each town's code and names as people write them, lower-cased, to its code.

    小榄镇, 小榄, Xiaolan, "xiao lan" and 442000100 all name the same town: an
    import's town cell may hold any of them (issue 11, deliverable 6).
    """
    codes: dict[str, str] = {}
    for town in Town.objects.all():
        short = town.short_name_zh.removesuffix("镇")
        names = (town.name_zh, town.short_name_zh, town.name_en, town.pinyin, short)
        for name in (*names, town.pinyin.replace(" ", ""), town.code):
            codes[name.strip().lower()] = town.code
    return codes
