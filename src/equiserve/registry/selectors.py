"""Reads of the registry, always through a user's scope (`permissions`)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from equiserve.audit.models import AuditEntry
from equiserve.choices import codes_for
from equiserve.registry.models import Household, Person
from equiserve.registry.permissions import person_list_for
from equiserve.registry.privacy import in_ranges

PERSON = "registry.person"
HOUSEHOLD = "registry.household"
IMPORT = "registry.import"
HEALTH = "registry.personhealth"


@dataclass(frozen=True)
class PersonFilters:
    """The filters of the persons list, page and export alike."""

    town: str = ""
    hukou: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query) -> "PersonFilters":
        """Read the filters from a GET query; unknown values are dropped."""
        hukou = query.get("hukou", "")
        return cls(
            town=query.get("town", "").strip()[:9],
            hukou=hukou if hukou in codes_for("hukou") else "",
            q=query.get("q", "").strip()[:64],
        )

    def as_dict(self) -> dict:
        return {key: value for key, value in vars(self).items() if value}


def person_list(*, user, filters: PersonFilters | None = None) -> QuerySet[Person]:
    """Return the persons `user` may see, filtered, with town and village loaded.

    `q` matches a name (part of it), a person number or a full ID number.
    """
    filters = filters or PersonFilters()
    persons = person_list_for(user).select_related("town", "village", "household")
    if filters.town:
        persons = persons.filter(town_id=filters.town)
    if filters.hukou:
        persons = persons.filter(hukou=filters.hukou)
    if filters.q:
        persons = persons.filter(
            Q(name__icontains=filters.q)
            | Q(key=filters.q)
            | Q(id_number=filters.q.upper())
        )
    return persons.order_by("key")


def household_members(household: Household | None) -> QuerySet[Person]:
    """Return the members of a household, oldest first."""
    if household is None:
        return Person.objects.none()
    return household.members.select_related("town").order_by("birth_date", "key")


def visible_members(user, household: Household | None) -> QuerySet[Person]:
    """Return the members of a household that `user` may see, oldest first.

    A department sees the persons of its cases, not the rest of their
    households (issue 10, finding 3).
    """
    return household_members(household).filter(
        pk__in=person_list_for(user).values("pk")
    )


def household_history(household: Household, *, limit: int = 50) -> list[AuditEntry]:
    """Return the latest changes to a household and its members, newest first.

    Views are left out: the history says what happened to the records, the
    audit log (for auditors) says who looked at them. An import that created
    the household or a member counts as a change.
    """
    member_ids = list(household.members.values_list("pk", flat=True))
    condition = Q(object_type=HOUSEHOLD, object_id=str(household.pk)) | Q(
        object_type=PERSON, object_id__in=[str(pk) for pk in member_ids]
    )
    entries = list(
        AuditEntry.objects.filter(condition)
        .exclude(action=AuditEntry.Action.VIEW)
        .order_by("-seq")[:limit]
    )
    imports = AuditEntry.objects.filter(
        object_type=IMPORT, town_code=household.town_id
    ).order_by("-seq")
    for entry in imports.iterator():
        changes = entry.changes or {}
        if in_ranges(household.pk, changes.get("household_id_runs", [])) or any(
            in_ranges(pk, changes.get("person_id_runs", [])) for pk in member_ids
        ):
            entries.append(entry)
    return sorted(entries, key=lambda entry: -entry.seq)[:limit]
