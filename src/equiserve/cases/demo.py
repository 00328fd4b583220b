"""Demo cases: every programme, in several states, in Xiaolan, Guzhen and elsewhere.

Built from the loaded demo population through the services, as officers would
(so the audit log tells the same story). Demo mode only: it first removes every
case. Amounts the officer sets (hardship relief, preschool subsidy) are demo
figures, not the plan's.
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.cases import engine, services
from equiserve.cases.models import (
    PAYMENT,
    Appeal,
    Assessment,
    Case,
    Decision,
    Delivery,
    Entitlement,
)
from equiserve.cases.programmes import PROGRAMMES
from equiserve.registry.models import Person

XIAOLAN, GUZHEN = "442000100", "442000105"
TOWN_OFFICERS = {XIAOLAN: "town-xiaolan", GUZHEN: "town-guzhen"}
CHECKER = "civil-affairs-checker"
DEMO_AMOUNTS = {
    "hardship_relief": Decimal("2000"),
    "preschool_subsidy": Decimal("1500"),
}
# Facts a demo application states that the demo city does not record.
DEMO_FACTS = {
    "conscript_family_allowance": {"conscription_enlisted": "2014-09-10"},
    # Issue 15: the months worked in a community post, which the register does not hold.
    "community_employment_subsidy": {"community_post_months": 6},
}
# A hardship relief above the maker–checker threshold, to show a second approval.
LARGE_HARDSHIP = Decimal("15000")
DEFAULT_DAY = dt.date(2015, 9, 1)

# Per programme, the stories to tell: (script, town or None for any other town).
STORIES = {
    "funeral": [
        ("fulfilled", XIAOLAN),
        ("delivering", GUZHEN),
        ("assessed", None),
        ("submitted", XIAOLAN),
        ("appealed", GUZHEN),
    ],
    "hardship_relief": [
        ("paid", XIAOLAN),
        ("returned", GUZHEN),
        ("submitted", None),
        ("awaiting_second", None),
    ],
    "veteran_grant": [
        ("awaiting_second", None),
        ("second_approved", None),
        ("assessed", None),
    ],
    "student_insurance": [
        ("delivering", XIAOLAN),
        ("appealed", None),
        ("submitted", GUZHEN),
    ],
    "t1d_care": [("delivering", None), ("rejected", None)],
    "prepregnancy_check": [
        ("fulfilled", XIAOLAN),
        ("assessed", GUZHEN),
        ("rejected", None),
    ],
    "preschool_subsidy": [("paid", XIAOLAN), ("submitted", GUZHEN), ("assessed", None)],
    # Issue 12, points 3, 7 and 8. The demo city records no conscripts and no
    # one-child certificates: those cases state the enlistment, or stay undecided.
    "conscript_family_allowance": [("submitted", XIAOLAN), ("assessed", None)],
    "family_planning_reward": [("submitted", GUZHEN), ("assessed", None)],
    "migrant_family_planning": [("delivering", XIAOLAN), ("submitted", GUZHEN)],
    "vocational_tuition": [
        ("delivering", GUZHEN),
        ("submitted", XIAOLAN),
        ("assessed", None),
    ],
    # Issue 15: registered unemployed persons of the labour register (loaded first).
    "employment_assistance": [
        ("delivering", XIAOLAN),
        ("delivering", GUZHEN),
        ("assessed", GUZHEN),
        ("submitted", None),
        ("rejected", None),
    ],
    # A subsidy follows an approved assistance case of the same person (REUSES).
    "community_employment_subsidy": [("paid", XIAOLAN), ("assessed", GUZHEN)],
}
# Programmes whose stories are of persons another programme's story already told.
REUSES = {"community_employment_subsidy"}
NEEDS_ELIGIBLE = {
    "fulfilled",
    "delivering",
    "paid",
    "awaiting_second",
    "second_approved",
}
NEEDS_INELIGIBLE = {"appealed", "rejected"}


class DemoError(RuntimeError):
    pass


def _candidates(code: str):
    persons = Person.objects.select_related("household", "guardian", "town")
    if code == "funeral":
        return persons.filter(death_date__isnull=False)
    if code == "hardship_relief":
        return persons.filter(hardship_date__isnull=False)
    if code == "veteran_grant":
        return persons.filter(veteran_discharged__gte=dt.date(2014, 1, 1))
    if code == "student_insurance":
        return persons.filter(
            school_stage__in=["primary", "junior"], guardian__isnull=False
        )
    if code == "t1d_care":
        return persons.filter(health__t1d_diagnosed__isnull=False)
    if code == "prepregnancy_check":
        return persons.filter(
            hukou="elsewhere",
            sex="F",
            resident_since__isnull=False,
            birth_date__range=(dt.date(1970, 1, 1), dt.date(1993, 1, 1)),
        )
    if code == "preschool_subsidy":
        return persons.filter(school_stage="kindergarten")
    if code == "conscript_family_allowance":
        return persons.filter(
            hukou="zhongshan",
            sex="M",
            birth_date__range=(dt.date(1993, 1, 1), dt.date(1997, 12, 31)),
        )
    if code == "family_planning_reward":
        return persons.filter(
            hukou="zhongshan",
            birth_date__range=(dt.date(1950, 1, 1), dt.date(1955, 6, 30)),
        )
    if code == "migrant_family_planning":
        return persons.filter(
            hukou="elsewhere",
            resident_since__isnull=False,
            birth_date__range=(dt.date(1970, 1, 1), dt.date(1997, 1, 1)),
        )
    if code == "employment_assistance":
        # Registered unemployed on the day of application (the labour register's).
        return persons.filter(
            unemployment_registrations__registered_on__lte=DEFAULT_DAY,
            unemployment_registrations__ended_on__isnull=True,
        )
    if code == "community_employment_subsidy":
        # Identified by an approved assistance case (told just before).
        return persons.filter(
            cases__programme="employment_assistance",
            cases__entitlements__active=True,
        ).distinct()
    return persons.filter(school_stage="vocational")


def _applied_on(code: str, person: Person) -> dt.date:
    if code == "funeral":
        return max(person.death_date, dt.date(2014, 1, 1)) + dt.timedelta(days=2)
    if code == "hardship_relief":
        return person.hardship_date + dt.timedelta(days=7)
    if code == "veteran_grant":
        return person.veteran_discharged + dt.timedelta(days=30)
    if code == "t1d_care":
        diagnosed = person.health.t1d_diagnosed
        return max(diagnosed + dt.timedelta(days=20), dt.date(2014, 3, 1))
    return DEFAULT_DAY


def _users() -> dict:
    user_model = get_user_model()
    names = {p.department for p in PROGRAMMES.values()} | set(TOWN_OFFICERS.values())
    names.add(CHECKER)
    users = {u.username: u for u in user_model.objects.filter(username__in=names)}
    missing = sorted(names - set(users))
    if missing:
        raise DemoError(
            f"demo accounts missing: {', '.join(missing)}; create them first"
        )
    return users


def cases_demo_clear() -> int:
    """Remove every case (demo mode only); return how many were removed.

    Call it before replacing the demo population: cases protect their persons.
    """
    if not settings.DEMO_MODE:
        raise DemoError("demo cases are only cleared in demo mode (EQUISERVE_DEMO=1)")
    with transaction.atomic():
        count = Case.objects.count()
        Delivery.objects.all().delete()
        Entitlement.objects.all().delete()
        Decision.objects.all().delete()
        Assessment.objects.all().delete()
        Appeal.objects.all().delete()
        Case.objects.all().delete()
        if count:
            audit_record(
                actor=None,
                action=AuditEntry.Action.DELETE,
                object_type=services.CASE,
                summary=f"demo cases cleared: {count}",
                changes={"cases": count},
            )
    return count


def cases_demo_load(*, seed: int = 1) -> dict[str, int]:
    """Replace the demo cases with a fresh set; return counts by status and "total".

    Needs the demo population and the demo accounts; demo mode only.
    """
    cases_demo_clear()
    users = _users()
    rng = random.Random(seed)
    used: set[int] = set()
    made: list[Case] = []
    for code, stories in STORIES.items():
        programme = PROGRAMMES[code]
        pool = list(_candidates(code).order_by("key"))
        rng.shuffle(pool)
        for script, town in stories:
            person = _pick(programme, pool, used, script, town)
            if person is None:
                continue
            used.add(_used_key(programme, person))
            with transaction.atomic():
                made.append(_tell(programme, person, script, users))
    counts = Counter(case.status for case in made)
    return {"total": len(made), **dict(sorted(counts.items()))}


def _used_key(programme, person) -> object:
    """Return what marks a person told: once for all, or once more under REUSES."""
    return (programme.code, person.pk) if programme.code in REUSES else person.pk


def _pick(programme, pool, used, script, town):
    """Return a person for the story: in the town wanted, eligible as the script needs."""

    def fits_town(person):
        if town is None:
            return person.town_id not in TOWN_OFFICERS
        return person.town_id == town

    for person in pool:
        if _used_key(programme, person) in used or not fits_town(person):
            continue
        day = _applied_on(programme.code, person)
        if day > dt.date.today():
            continue
        if script in NEEDS_ELIGIBLE or script in NEEDS_INELIGIBLE:
            facts = dict(DEMO_FACTS.get(programme.code, {}))
            eligible = engine.assess(programme, person, facts, day).eligible
            if eligible != (script in NEEDS_ELIGIBLE):
                continue
        return person
    return None


def _tell(programme, person, script, users) -> Case:
    department = users[programme.department]
    registrar = users.get(TOWN_OFFICERS.get(person.town_id, ""), department)
    documents = [d.code for d in programme.documents]
    if script == "returned":
        documents = documents[:1]
    facts = dict(DEMO_FACTS.get(programme.code, {}))
    if programme.officer_sets_amount:
        amount = (
            LARGE_HARDSHIP
            if script == "awaiting_second"
            else DEMO_AMOUNTS[programme.code]
        )
        facts["requested_amount"] = str(amount)
    day = _applied_on(programme.code, person)
    case = services.case_register(
        programme=programme.code,
        applicant=person,
        applied_on=day,
        facts=facts,
        documents=documents,
        actor=registrar,
    )
    if script == "submitted":
        return case
    if script == "returned":
        services.case_decide(
            case=case,
            version=case.version,
            decision="return",
            reason="请补交突发事件证明。Please bring the proof of the sudden event.",
            actor=department,
        )
        return case
    services.case_assess(case=case, version=case.version, actor=registrar)
    if script == "assessed":
        return case
    if script in NEEDS_INELIGIBLE:
        services.case_decide(
            case=case,
            version=case.version,
            decision="reject",
            reason="经评估不符合条件。The assessment finds the conditions not met.",
            actor=department,
        )
        if script == "appealed":
            services.case_appeal(
                case=case,
                version=case.version,
                reason="申请人提交了新的材料。The applicant brings new documents.",
                lodged_on=min(day + dt.timedelta(days=20), dt.date.today()),
                actor=registrar,
            )
        return case
    amount = facts.get("requested_amount")
    services.case_decide(
        case=case,
        version=case.version,
        decision="approve",
        reason="材料齐全，符合条件。Documents complete; the conditions are met.",
        amount=amount,
        actor=department,
    )
    if script == "awaiting_second":
        return case
    if script == "second_approved" or case.status == "awaiting_second":
        services.case_decide(
            case=case,
            version=case.version,
            decision="approve",
            reason="复核同意。Checked and confirmed.",
            actor=users[CHECKER],
        )
    _deliver(case, programme, department, partial=script == "delivering", day=day)
    return case


def _deliver(case, programme, actor, *, partial: bool, day: dt.date) -> None:
    entitlement = case.entitlements.get(active=True)
    when = min(day + dt.timedelta(days=3), dt.date.today())
    if entitlement.amount is not None:
        services.case_deliver(
            case=case,
            version=case.version,
            item=PAYMENT,
            amount=entitlement.amount,
            delivered_on=when,
            # A programme that names its payee (issue 15): the demo pays the person.
            payee_kind="person" if programme.payees else "",
            actor=actor,
        )
        return
    granted = [(c, n) for c, n in programme.in_order(entitlement.items) if n != 0]
    for index, (code, limit) in enumerate(granted):
        if (partial and index > 0) or case.status != "approved":
            break
        quantity = limit or 1  # an item without a limit: one delivery
        services.case_deliver(
            case=case,
            version=case.version,
            item=code,
            quantity=quantity,
            delivered_on=when,
            actor=actor,
        )
