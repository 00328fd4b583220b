"""`GET /api/v1/persons` (paged, scoped, masked) and `GET /api/v1/persons/{id}`.

Both take a bearer token (`POST /api/v1/auth/token`). A person outside the
caller's scope is a 404, exactly like a person that does not exist. A person's
`id` is their random public id, not a sequential number (issue 10, finding 3).
The list shows masked ID numbers beside the year of birth only, and each page
read is logged as bulk access (finding 1).
"""

import datetime as dt

from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from equiserve.accounts.api import BearerAuth
from equiserve.registry import permissions, selectors, services
from equiserve.registry.privacy import mask_id_number

router = Router(tags=["registry"], auth=BearerAuth())

MAX_PAGE_SIZE = 500
MAX_PAGE = 100_000


class PersonListFilters(Schema):
    town: str = ""
    hukou: str = ""
    q: str = ""
    # Bounded so that a page of 10^18 is a 422, not an SQL overflow (issue 10, finding 8).
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


# Output as plain pydantic models: the views return dicts, and ninja's Schema
# wrapped every field of every row in an attribute getter (a quarter of a
# page's CPU). The OpenAPI document is the same.
class PersonBase(BaseModel):
    id: str
    key: str
    name: str
    id_number: str
    sex: str
    hukou: str
    hukou_kind: str
    town: str
    village: str | None
    household: str | None
    # Half-points (issue 12, point 5): a JSON number such as 107.5.
    points: float | None = Field(
        ..., multiple_of=0.5, description="points score, a decimal in steps of 0.5"
    )
    school_stage: str
    low_income: bool


class PersonOut(PersonBase):
    birth_year: int


class PersonPage(BaseModel):
    items: list[PersonOut]
    count: int
    page: int
    page_size: int
    pages: int


class HealthOut(Schema):
    t1d_diagnosed: dt.date | None
    t1d_hospital_grade: str


class PersonDetailOut(PersonBase):
    birth_date: dt.date
    resident_since: dt.date | None
    guardian: str | None
    veteran_kind: str
    veteran_discharged: dt.date | None
    veteran_nco_years: int | None
    conscription_enlisted: dt.date | None
    one_child_parent: bool | None
    death_date: dt.date | None
    death_storage_days: int | None
    death_ash_storage_years: int | None
    hardship_cause: str
    hardship_date: dt.date | None
    household_members: list[str]
    health: HealthOut | None


def _person_fields(person, *, id_number: str) -> dict:
    return {
        "id": str(person.public_id),
        "key": person.key,
        "name": person.name,
        "id_number": id_number,
        "sex": person.sex,
        "hukou": person.hukou,
        "hukou_kind": person.hukou_kind,
        "town": person.town_id,
        "village": person.village_id,
        "household": person.household.key if person.household_id else None,
        "points": person.points,
        "school_stage": person.school_stage,
        "low_income": person.low_income,
    }


@router.get("/persons", response=PersonPage, summary="List persons (masked)")
def person_list(request, filters: Query[PersonListFilters]):
    """List the persons in the caller's scope, ID numbers masked, page by page.

    Each person shows the year of birth only; each page read is logged.

    Filter by `town` (9-digit code), `hukou` (zhongshan or elsewhere) and `q`
    (part of a name, a person number or a full ID number).
    """
    chosen = selectors.PersonFilters.from_query(filters.dict())
    persons = selectors.person_list(user=request.auth, filters=chosen)
    count = persons.count()
    start = (filters.page - 1) * filters.page_size
    # Only the codes of town and village are returned: their rows are not read.
    page = persons.select_related(None).select_related("household")
    rows = list(page[start : start + filters.page_size])
    services.persons_export_record(
        actor=request.auth,
        person_ids=[person.pk for person in rows],
        filters=chosen.as_dict(),
        file_format="api",
        request=request,
    )
    return {
        "items": [
            {
                **_person_fields(person, id_number=mask_id_number(person.id_number)),
                "birth_year": person.birth_date.year,
            }
            for person in rows
        ],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max(1, -(-count // filters.page_size)),
    }


@router.get("/persons/{person_id}", response=PersonDetailOut, summary="One person")
def person_detail(request, person_id: str):
    """Return one person's full record (full ID number); the read is audit-logged.

    `health` is filled for health officers only, and null for every other role.
    """
    user = request.auth
    person = permissions.access_person(user, person_id)
    services.person_view_record(
        actor=user, person=person, channel="api", request=request
    )
    health = permissions.health_of(user, person)
    return {
        **_person_fields(person, id_number=person.id_number),
        "birth_date": person.birth_date,
        "resident_since": person.resident_since,
        "guardian": person.guardian.key if person.guardian_id else None,
        "veteran_kind": person.veteran_kind,
        "veteran_discharged": person.veteran_discharged,
        "veteran_nco_years": person.veteran_nco_years,
        "conscription_enlisted": person.conscription_enlisted,
        "one_child_parent": person.one_child_parent,
        "death_date": person.death_date,
        "death_storage_days": person.death_storage_days,
        "death_ash_storage_years": person.death_ash_storage_years,
        "hardship_cause": person.hardship_cause,
        "hardship_date": person.hardship_date,
        "household_members": [
            str(public_id)
            for public_id in selectors.visible_members(
                user, person.household
            ).values_list("public_id", flat=True)
        ],
        "health": None
        if health is None
        else {
            "t1d_diagnosed": health.t1d_diagnosed,
            "t1d_hospital_grade": health.t1d_hospital_grade,
        },
    }
