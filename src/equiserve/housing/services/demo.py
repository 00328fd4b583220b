"""The demo city's public rental housing: estates, units, applications, round "demo".

Everything here is made up for the synthetic city and says so: estates are
`synthetic`, their names are invented (any match with a real estate is chance),
sizes and rents are illustrative (rent ≈ 10 CNY per m² a month). Applications
come from the demo population: households the engine finds eligible on
2015-06-30, and a few that are not (recorded with the reason). The round
"demo" is frozen with its hashes published and its seed sealed, ready for
`equiserve housing draw --round demo --out round.json`.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Min

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.geography.models import Town
from equiserve.housing.assessment import assess_households, ranking_for
from equiserve.housing.models import (
    AllocationRound,
    Application,
    ApplicationPreference,
    ApplicationStatus,
    Estate,
    Offer,
    RoundSeal,
    Unit,
)
from equiserve.housing.services.common import APPLICATION, HousingError
from equiserve.housing.services.rounds import round_freeze
from equiserve.registry.models import Household, Person

DEMO_ROUND = "demo"
AS_OF = dt.date(2015, 6, 30)
FIRST_DAY = dt.date(2014, 1, 2)
LAST_DAY = dt.date(2015, 6, 15)
ELIGIBLE_APPLICATIONS = 600
INELIGIBLE_APPLICATIONS = 40
DISABILITY_SHARE = 0.05
RENT_PER_M2 = Decimal("10.00")

# code, Chinese name, English name, town, units.
ESTATES = (
    ("E01", "岐江安居苑", "Qijiang Anju Court", "442000001", 60),
    ("E02", "东区和园", "Dongqu Heyuan", "442000002", 40),
    ("E03", "火炬人才公寓", "Torch Talent Apartments", "442000003", 50),
    ("E04", "小榄安居苑", "Xiaolan Anju Court", "442000100", 45),
    ("E05", "古镇和园", "Guzhen Heyuan", "442000105", 30),
    ("E06", "坦洲安居苑", "Tanzhou Anju Court", "442000107", 25),
    ("E07", "三乡和园", "Sanxiang Heyuan", "442000114", 25),
    ("E08", "南区安居苑", "Nanqu Anju Court", "442000005", 25),
)
# bedrooms: (share, smallest m², largest m², household sizes it suits)
LAYOUTS = {
    0: (0.10, 26, 32, (1, 1)),
    1: (0.40, 36, 45, (1, 2)),
    2: (0.35, 50, 62, (2, 4)),
    3: (0.15, 66, 78, (4, 6)),
}


def housing_demo_clear() -> None:
    """Remove all (synthetic) housing data; refuse when real estates are recorded."""
    if Estate.objects.filter(synthetic=False).exists():
        raise HousingError(
            "real estates are recorded: the demo does not replace housing data"
        )
    Offer.objects.all().delete()
    RoundSeal.objects.all().delete()
    AllocationRound.objects.all().delete()
    ApplicationPreference.objects.all().delete()
    Application.objects.all().delete()
    Unit.objects.all().delete()
    Estate.objects.all().delete()


def _stock(rng: np.random.Generator) -> list[Estate]:
    towns = {town.code: town for town in Town.objects.all()}
    estates = Estate.objects.bulk_create(
        Estate(code=code, name=name, name_en=name_en, town=towns[town], synthetic=True)
        for code, name, name_en, town, _count in ESTATES
    )
    shares = [layout[0] for layout in LAYOUTS.values()]
    units = []
    for estate, (_c, _n, _e, _t, count) in zip(estates, ESTATES, strict=True):
        bedrooms = rng.choice(list(LAYOUTS), size=count, p=shares)
        for number, rooms in enumerate(bedrooms, start=1):
            _share, low, high, (smallest, largest) = LAYOUTS[int(rooms)]
            area = Decimal(int(rng.integers(low * 10, high * 10 + 1))) / 10
            floor = 1 + (number - 1) // 6
            unit = Unit(
                code=f"{estate.code}-{floor:02d}{(number - 1) % 6 + 1:02d}",
                estate=estate,
                floor_area_m2=area,
                bedrooms=int(rooms),
                rent_monthly=(area * RENT_PER_M2).quantize(Decimal("0.01")),
                accessible=floor == 1,
                suits_min=smallest,
                suits_max=largest,
            )
            unit.clean_fields()
            units.append(unit)
    Unit.objects.bulk_create(units)
    return estates


def _applicants(households: list[Household]) -> dict[int, int]:
    """Return {household pk: person pk} of the oldest adult member (the head)."""
    born = dict(
        Person.objects.filter(household__in=households)
        .values("household_id")
        .annotate(first=Min("birth_date"))
        .values_list("household_id", "first")
    )
    chosen: dict[int, int] = {}
    for household_id, person_id, birth in Person.objects.filter(
        household__in=households
    ).values_list("household_id", "pk", "birth_date"):
        if birth == born[household_id] and household_id not in chosen:
            chosen[household_id] = person_id
    return chosen


@transaction.atomic
def housing_demo_load(*, seed: int = 1) -> dict:
    """Replace the demo's housing data and freeze round "demo"; return counts.

    Needs the demo population in the registry. Refuses (HousingError) when
    real (non-synthetic) estates are recorded.
    """
    rng = np.random.default_rng([seed, 38])
    housing_demo_clear()
    estates = _stock(rng)
    ranking = ranking_for()
    households = list(Household.objects.order_by("pk"))
    screened = assess_households(
        households, date=AS_OF, disability={}, ranking=ranking, explain=False
    )
    # The plan's rules admit most migrants with 100 points and few registered
    # households; take every eligible registered household the sample can hold.
    registered = [h for h in households if _eligible(screened, h, migrant=False)]
    migrants = [h for h in households if _eligible(screened, h, migrant=True)]
    ineligible = [h for h in households if not screened[h.pk].eligible]
    chosen_registered = _sample(rng, registered, ELIGIBLE_APPLICATIONS // 2)
    picked = [
        *chosen_registered,
        *_sample(rng, migrants, ELIGIBLE_APPLICATIONS - len(chosen_registered)),
        *_sample(rng, ineligible, INELIGIBLE_APPLICATIONS),
    ]
    heads = _applicants(picked)
    picked = sorted((h for h in picked if h.pk in heads), key=lambda h: h.pk)
    disability = {h.pk: bool(rng.random() < DISABILITY_SHARE) for h in picked}
    days = (LAST_DAY - FIRST_DAY).days
    assessed = assess_households(
        picked, date=AS_OF, disability=disability, ranking=ranking
    )
    applications = []
    for household in picked:
        assessment = assessed[household.pk]
        submitted = FIRST_DAY + dt.timedelta(days=int(rng.integers(0, days + 1)))
        applications.append(
            Application(
                household=household,
                applicant_id=heads[household.pk],
                submitted_on=submitted,
                disability=disability[household.pk],
                status=ApplicationStatus.WAITING
                if assessment.eligible
                else ApplicationStatus.NOT_ELIGIBLE,
                eligible=assessment.eligible,
                assessed_on=AS_OF,
                explanation=assessment.explanation,
                priority=assessment.priority or "",
                score=assessment.score,
                household_size=assessment.household_size,
                migrant=assessment.migrant,
                ranking_version=ranking.version,
            )
        )
    Application.objects.bulk_create(applications, batch_size=500)
    ApplicationPreference.objects.bulk_create(
        [
            ApplicationPreference(application=application, estate=estate, rank=rank)
            for application in applications
            for rank, estate in enumerate(
                _preferences(rng, estates, application.household.town_id), start=1
            )
        ],
        batch_size=1000,
    )
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        object_type=APPLICATION,
        summary=f"demo housing applications (seed {seed}): {len(applications)}",
    )
    frozen = round_freeze(
        round_id=DEMO_ROUND,
        title="2015年第一批公共租赁住房配租（演示）",
        as_of=AS_OF,
        actor=None,
    )
    return {
        "estates": len(estates),
        "units": Unit.objects.count(),
        "applications": len(applications),
        "waiting": Application.objects.filter(status="waiting").count(),
        "not_eligible": Application.objects.filter(status="not_eligible").count(),
        "round": frozen.id,
        "applicants": frozen.applicants,
        "migrant_quota": frozen.migrant_quota,
        "list_sha256": frozen.list_sha256,
        "seed_commitment": frozen.seed_commitment,
    }


def _eligible(screened: dict, household: Household, *, migrant: bool) -> bool:
    found = screened[household.pk]
    return found.eligible and found.migrant == migrant


def _sample(rng: np.random.Generator, items: list, count: int) -> list:
    if len(items) <= count:
        return list(items)
    return [items[i] for i in sorted(rng.choice(len(items), size=count, replace=False))]


def _preferences(
    rng: np.random.Generator, estates: list[Estate], town: str
) -> list[Estate]:
    """Return 1–3 estates: the household's own town's first, if it has one."""
    own = [e for e in estates if e.town_id == town]
    others = [e for e in estates if e.town_id != town]
    order = [others[i] for i in rng.permutation(len(others))]
    wanted = int(rng.integers(1, 4))
    return (own + order)[:wanted]
