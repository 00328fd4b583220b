"""Demo data of the health registries: deterministic, seconds to load (issue 16).

Type-1 diabetes: the synthetic city has a handful of patients (about 25 per
100,000); a few more registered residents are given a diagnosis so that the
rates mean something, some at a hospital below grade 2A, which the engine then
refuses. Each patient the engine finds eligible is enrolled at one of three
hospitals and followed about every quarter, most with an HbA1c, and given free
drugs and test strips. The mental-health pilot: city-run and town primary
schools from 2014, junior and senior high schools from 2015, their psychology
teachers, screenings of their pupils, referrals and follow-ups.

The migrants' free family-planning services (3.3.4): on a day in each year,
some of the migrants the engine finds eligible are given contraceptives or an
IUD and pregnancy check, and some of those it finds eligible for the
pre-pregnancy check (six months' residence) take it, at one of the hospitals.

Demo accounts (demo mode only): `hospital-renmin`, a hospital user of the
city's people's hospital, and `psych-xiaolan`, the psychology teacher of a
Xiaolan primary school.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from equiserve.health.models import (
    Dispensing,
    Enrolment,
    FollowUp,
    Hospital,
    HospitalStaff,
    MigrantService,
    PilotSchool,
    PsychologyTeacher,
    Referral,
    Screening,
)
from equiserve.health.selectors import risk_level_of
from equiserve.registry.models import Person, PersonHealth

SHIQI, XIAOLAN, GUZHEN = "442000001", "442000100", "442000105"
HOSPITALS = (
    ("h-renmin", "中山市人民医院", "3A", SHIQI),
    ("h-tcm", "中山市中医院", "3A", SHIQI),
    ("h-xiaolan", "中山市小榄人民医院", "2A", XIAOLAN),
)
# (code, name, town, stage, city-run, in the pilot from)
SCHOOLS = (
    ("s-shiqi-1", "中山市实验小学", SHIQI, "primary", True, dt.date(2014, 3, 1)),
    ("s-shiqi-2", "中山市石岐中心小学", SHIQI, "primary", True, dt.date(2014, 3, 1)),
    ("s-xiaolan-1", "小榄镇中心小学", XIAOLAN, "primary", False, dt.date(2014, 9, 1)),
    ("s-guzhen-1", "古镇镇中心小学", GUZHEN, "primary", False, dt.date(2014, 9, 1)),
    ("s-shiqi-j1", "中山市第一中学初中部", SHIQI, "junior", True, dt.date(2015, 9, 1)),
    (
        "s-xiaolan-j1",
        "小榄镇第一初级中学",
        XIAOLAN,
        "junior",
        False,
        dt.date(2015, 9, 1),
    ),
    ("s-shiqi-s1", "中山市第一中学", SHIQI, "senior", True, dt.date(2015, 9, 1)),
)
EXTRA_PATIENTS = 40
DRUG = ("glucose_drugs", "胰岛素注射液 3ml", 3, Decimal("178.35"))
STRIPS = ("test_strips", "血糖试纸 50片", 2, Decimal("65.00"))
START, END = dt.date(2014, 1, 1), dt.date(2016, 12, 31)


def health_demo_clear() -> None:
    """Remove the registries' records (they protect their persons)."""
    MigrantService.objects.all().delete()
    Referral.objects.all().delete()
    Screening.objects.all().delete()
    PsychologyTeacher.objects.all().delete()
    Dispensing.objects.all().delete()
    FollowUp.objects.all().delete()
    Enrolment.objects.all().delete()
    HospitalStaff.objects.all().delete()
    PilotSchool.objects.all().delete()
    Hospital.objects.all().delete()


def _demo_account(username: str, role: str, department: str):
    from equiserve.accounts.models import Profile

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(f"demo-{username}")
    user.save()
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.role, profile.department, profile.town, profile.is_demo = (
        role,
        department,
        None,
        True,
    )
    profile.save()
    return user


def _extra_diagnoses(rng: random.Random) -> None:
    """Give some registered adults a diagnosis, a few at a hospital below grade 2A."""
    known = set(PersonHealth.objects.values_list("person_id", flat=True))
    candidates = [
        pk
        for pk in Person.objects.filter(
            hukou="zhongshan",
            death_date__isnull=True,
            birth_date__lte=dt.date(2005, 1, 1),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
        if pk not in known
    ]
    chosen = rng.sample(candidates, min(EXTRA_PATIENTS, len(candidates)))
    PersonHealth.objects.bulk_create(
        PersonHealth(
            person_id=pk,
            t1d_diagnosed=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(2500)),
            t1d_hospital_grade=rng.choice(["3A", "3A", "3B", "2A", "2A", "2B"]),
        )
        for pk in chosen
    )


def _enrol(rng: random.Random, hospitals: list[Hospital]) -> list[Enrolment]:
    """Enrol every diagnosed person the engine finds eligible when enrolled."""
    from equiserve.health.services import t1d_eligibility

    enrolments = []
    diagnosed = (
        PersonHealth.objects.filter(t1d_diagnosed__isnull=False)
        .select_related("person")
        .order_by("person_id")
    )
    for health in diagnosed:
        day = max(health.t1d_diagnosed, START) + dt.timedelta(days=rng.randrange(120))
        if not t1d_eligibility(health.person, day).eligible:
            continue
        enrolments.append(
            Enrolment(
                person=health.person,
                hospital=rng.choice(hospitals),
                enrolled_on=day,
                eligibility="demo",
            )
        )
    return Enrolment.objects.bulk_create(enrolments)


def _follow_ups(rng: random.Random, enrolments: list[Enrolment]) -> tuple[int, int]:
    visits, dispensings = [], []
    for enrolment in enrolments:
        day = enrolment.enrolled_on
        regimen = rng.choice(["basal_bolus", "basal_bolus", "premixed", "pump"])
        # Each patient keeps roughly to a rhythm: some every quarter, some less.
        gap = rng.choice([80, 90, 90, 100, 130])
        level = rng.gauss(7.0, 0.8)
        while day <= END:
            if rng.random() < 0.9:
                hba1c = rng.gauss(level, 0.4)
                visits.append(
                    FollowUp(
                        enrolment=enrolment,
                        visited_on=day,
                        hba1c=None
                        if rng.random() < 0.15
                        else Decimal(f"{min(max(hba1c, 4.5), 14):.1f}"),
                        fasting_glucose=Decimal(f"{rng.uniform(4.5, 11):.1f}"),
                        insulin_regimen=regimen,
                        hypoglycaemia_events=rng.choice([0, 0, 0, 1, 2]),
                    )
                )
                for item, product, quantity, unit_cost in (DRUG, STRIPS):
                    dispensings.append(
                        Dispensing(
                            enrolment=enrolment,
                            dispensed_on=day,
                            item=item,
                            product=product,
                            quantity=quantity,
                            unit_cost=unit_cost,
                            cost=unit_cost * quantity,
                        )
                    )
            day += dt.timedelta(days=gap + rng.randrange(-10, 11))
    FollowUp.objects.bulk_create(visits)
    Dispensing.objects.bulk_create(dispensings)
    return len(visits), len(dispensings)


def _pilot(rng: random.Random) -> int:
    screenings = 0
    for code, name, town, stage, city_run, start in SCHOOLS:
        school = PilotSchool.objects.create(
            code=code,
            name=name,
            town_id=town,
            stage=stage,
            city_run=city_run,
            pilot_from=start,
        )
        for number in range(rng.choice([1, 2])):
            certified = start + dt.timedelta(days=rng.randrange(90, 400))
            PsychologyTeacher.objects.create(
                school=school,
                name=f"{name[-4:]}心理教师{number + 1}",
                certified_on=certified if certified <= END else None,
            )
        pupils = list(
            Person.objects.filter(
                town_id=town, school_stage=stage, death_date__isnull=True
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        for pk in rng.sample(pupils, min(len(pupils), rng.randrange(12, 40))):
            day = start + dt.timedelta(days=rng.randrange(30, 300))
            score = int(min(max(rng.gauss(50, 10), 10), 99))
            screening = Screening.objects.create(
                school=school,
                person_id=pk,
                screened_on=day,
                instrument="mht",
                score=score,
                risk_level=risk_level_of(score, day),
            )
            screenings += 1
            if screening.risk_level == "high":
                Referral.objects.create(
                    screening=screening,
                    referred_on=day + dt.timedelta(days=7),
                    service="中山市第三人民医院心理科",
                    followed_up_on=day + dt.timedelta(days=30)
                    if rng.random() < 0.8
                    else None,
                )
    return screenings


MIGRANT_SERVICE_DAYS = (
    dt.date(2014, 6, 16),
    dt.date(2015, 6, 15),
    dt.date(2016, 6, 15),
)


def _migrant_services(rng: random.Random) -> int:
    """Give some eligible migrants free services; the engine decides who is eligible."""
    from equiserve.cases.programmes import programme
    from equiserve.monitoring.sources import engine

    # (programme, kinds given, share of the eligible given one that day)
    plan = (
        ("migrant_family_planning", ("contraceptives", "iud_pregnancy_check"), 0.4),
        ("prepregnancy_check", ("prepregnancy_check",), 0.2),
    )
    rules = [programme(code).eligibility for code, _, _ in plan]
    outcomes = engine.evaluate_days(rules, list(MIGRANT_SERVICE_DAYS))
    records = []
    for day in MIGRANT_SERVICE_DAYS:
        for (_code, kinds, share), rule in zip(plan, rules, strict=True):
            frame = outcomes[(rule, day)]
            eligible = sorted(
                frame.filter(frame[engine.OUTCOME].fill_null(False))["pk"]
            )
            for pk in eligible:
                if rng.random() < share:
                    records.append(
                        MigrantService(
                            person_id=pk,
                            kind=rng.choice(kinds),
                            delivered_on=day,
                            provider=rng.choice(HOSPITALS)[1],
                            eligibility="demo: the engine's outcome on the day",
                        )
                    )
    MigrantService.objects.bulk_create(records)
    return len(records)


@transaction.atomic
def health_demo_load(*, seed: int = 1) -> dict[str, int]:
    """Load the demo registries; return what was loaded."""
    rng = random.Random(seed * 16 + 3)
    health_demo_clear()
    hospitals = [
        Hospital.objects.create(code=code, name=name, grade=grade, town_id=town)
        for code, name, grade, town in HOSPITALS
    ]
    _extra_diagnoses(rng)
    enrolments = _enrol(rng, hospitals)
    visits, dispensings = _follow_ups(rng, enrolments)
    screenings = _pilot(rng)
    migrant_services = _migrant_services(rng)
    if settings.DEMO_MODE:
        renmin = _demo_account("hospital-renmin", "health", "health")
        HospitalStaff.objects.update_or_create(
            user=renmin, defaults={"hospital": hospitals[0]}
        )
        teacher = _demo_account("psych-xiaolan", "department", "education")
        first = PsychologyTeacher.objects.filter(school__code="s-xiaolan-1").order_by(
            "pk"
        )
        first.filter(pk=first.first().pk).update(user=teacher)
    return {
        "patients": len(enrolments),
        "follow_ups": visits,
        "dispensings": dispensings,
        "screenings": screenings,
        "migrant_services": migrant_services,
    }
