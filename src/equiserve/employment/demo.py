"""The demo city's labour register (issue 15, deliverable 8): fast and deterministic.

Every living person of working age (16–59) on 2014-01-01 gets a status history
drawn from a seeded generator: most employed, some not in the labour force, a
few registered unemployed at some time in 2014–2016 (some re-employed since);
employers post vacancies in every town; designated providers train some of the
job seekers, paid per certified completer; every town has an incubation base,
and some residents a start-up subsidy or a guaranteed loan with its subsidised
schedule. Bulk writes (a few seconds): demo data, not casework, so no audit
entries.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from equiserve.employment import rules
from equiserve.employment.models import (
    EndReason,
    Enrolment,
    GuaranteedLoan,
    IncubationBase,
    LabourStatus,
    LoanInstalment,
    Referral,
    Registration,
    RepaymentMethod,
    StartupSubsidy,
    Status,
    StatusSource,
    TrainingCourse,
    TrainingPayment,
    TrainingProvider,
    Vacancy,
)
from equiserve.employment.occupations import occupations
from equiserve.geography.models import Town
from equiserve.registry.models import Person
from equiserve.rules.plan_gateway import parameter_on

START = dt.date(2014, 1, 1)
SINCE = dt.date(2010, 1, 1)
PLAN_DAYS = (dt.date(2016, 12, 31) - START).days
EMPLOYERS = ("明阳电器", "华帝五金", "小榄灯饰", "古镇灯具城", "石岐食品", "火炬电子")


def employment_demo_clear() -> None:
    LoanInstalment.objects.all().delete()
    GuaranteedLoan.objects.all().delete()
    StartupSubsidy.objects.all().delete()
    IncubationBase.objects.all().delete()
    TrainingPayment.objects.all().delete()
    Enrolment.objects.all().delete()
    TrainingCourse.objects.all().delete()
    TrainingProvider.objects.all().delete()
    Referral.objects.all().delete()
    Registration.objects.all().delete()
    Vacancy.objects.all().delete()
    LabourStatus.objects.all().delete()


@transaction.atomic
def employment_demo_load(*, seed: int = 1) -> dict[str, int]:
    """Replace the labour register with a seeded one; return counts."""
    employment_demo_clear()
    rng = random.Random(seed)
    codes = sorted(occupations()["middle_groups"])
    people = Person.objects.filter(
        death_date__isnull=True,
        birth_date__gt=dt.date(1954, 1, 1),
        birth_date__lte=dt.date(1997, 12, 31),
    ).order_by("pk")
    statuses, registrations = [], []
    for person in people.only("pk", "town_id").iterator(chunk_size=5000):
        draw = rng.random()
        if draw < 0.2:
            statuses.append(
                LabourStatus(
                    person=person,
                    status=Status.INACTIVE,
                    since=SINCE,
                    source=StatusSource.SURVEY,
                )
            )
            continue
        if draw < 0.25:
            registered = START + dt.timedelta(days=rng.randrange(PLAN_DAYS))
            ended = None
            if rng.random() < 0.5:
                ended = registered + dt.timedelta(days=rng.randrange(30, 400))
            statuses += _unemployment_spell(person, registered, ended)
            registrations.append(
                Registration(
                    person=person,
                    town_id=person.town_id,
                    registered_on=registered,
                    occupation=rng.choice(codes),
                    wage_min=Decimal(rng.randrange(1500, 4000, 100)),
                    ended_on=ended,
                    end_reason=EndReason.REEMPLOYED if ended else "",
                )
            )
            continue
        statuses.append(
            LabourStatus(
                person=person,
                status=Status.EMPLOYED,
                since=SINCE,
                source=StatusSource.SOCIAL_INSURANCE,
            )
        )
    LabourStatus.objects.bulk_create(statuses, batch_size=2000)
    Registration.objects.bulk_create(registrations, batch_size=2000)
    vacancies = [
        Vacancy(
            employer=rng.choice(EMPLOYERS),
            title=f"{occupations()['middle_groups'][code]['zh']}",
            occupation=code,
            town=town,
            wage=Decimal(rng.randrange(1800, 6000, 100)),
            hours_per_week=rng.choice((40, 44, 48)),
            positions=rng.randint(1, 5),
            posted_on=START + dt.timedelta(days=rng.randrange(PLAN_DAYS)),
        )
        for town in Town.objects.order_by("code")
        for code in rng.sample(codes, 4)
    ]
    Vacancy.objects.bulk_create(vacancies)
    return {
        "statuses": len(statuses),
        "registrations": len(registrations),
        "vacancies": len(vacancies),
        **_training(rng, registrations),
        **_startups(rng, registrations),
    }


PROVIDERS = (
    ("中山市技师学院", "442000001"),
    ("小榄职业技能培训中心", "442000100"),
    ("古镇灯饰职业培训学校", "442000105"),
)
COURSES = (
    ("电子装配工（中级）", "6-08"),
    ("缝纫工（初级）", "6-13"),
    ("育婴员", "4-07"),
)


def _fen(name: str, day: dt.date) -> Decimal:
    return Decimal(str(parameter_on(name, day))).quantize(rules.FEN)


def _training(rng, registrations) -> dict[str, int]:
    """Courses of three designated providers; job seekers enrolled, some certified
    and paid for at the per-completer amount in force on the certificate's day."""
    towns = set(Town.objects.values_list("code", flat=True))
    providers = TrainingProvider.objects.bulk_create(
        TrainingProvider(name=name, town_id=code, approved_on=dt.date(2014, 1, 1))
        for name, code in PROVIDERS
        if code in towns
    )
    courses = TrainingCourse.objects.bulk_create(
        TrainingCourse(
            provider=provider,
            title=title,
            occupation=code,
            starts_on=start,
            ends_on=start + dt.timedelta(days=60),
            places=30,
        )
        for provider in providers
        for title, code in COURSES
        for start in (dt.date(2015, 3, 1), dt.date(2015, 9, 1))
    )
    enrolments, seekers = [], registrations[: 20 * len(courses)]
    for index, registration in enumerate(seekers):
        course = courses[index % len(courses)] if courses else None
        if course is None:
            break
        certified = rng.random() < 0.6
        enrolments.append(
            Enrolment(
                course=course,
                person=registration.person,
                town_id=registration.town_id,
                enrolled_on=course.starts_on,
                completed_on=course.ends_on if certified else None,
                certificate_number=f"ZS{course.pk:03d}{index:05d}" if certified else "",
                certified_on=course.ends_on + dt.timedelta(days=14)
                if certified
                else None,
            )
        )
    Enrolment.objects.bulk_create(enrolments)
    payments = [
        TrainingPayment(
            enrolment=enrolment,
            provider_id=enrolment.course.provider_id,
            town_id=enrolment.town_id,
            amount=_fen(
                "employment.training_payment_per_completer", enrolment.certified_on
            ),
            paid_on=enrolment.certified_on + dt.timedelta(days=30),
        )
        for enrolment in enrolments
        if enrolment.certified_on is not None
    ]
    TrainingPayment.objects.bulk_create(payments)
    return {"enrolments": len(enrolments), "training_payments": len(payments)}


def _startups(rng, registrations) -> dict[str, int]:
    """An incubation base per town; start-up subsidies and guaranteed loans within
    the limit in force, each loan with its subsidised schedule (the plan's rule)."""
    bases = IncubationBase.objects.bulk_create(
        IncubationBase(
            name=f"{town.name_zh}创业孵化基地",
            town=town,
            opened_on=dt.date(2014, 6, 1),
            places=rng.randrange(10, 60),
        )
        for town in Town.objects.order_by("code")
    )
    by_town = {base.town_id: base for base in bases}
    founders = [r for r in registrations if r.ended_on is not None][:80]
    subsidies, loans = [], []
    for index, registration in enumerate(founders):
        day = registration.ended_on
        base = by_town.get(registration.town_id)
        business = f"创业项目{index + 1:03d}"
        subsidies.append(
            StartupSubsidy(
                person=registration.person,
                town_id=registration.town_id,
                base=base,
                business=business,
                amount=_fen("employment.startup_subsidy_amount", day),
                granted_on=day,
            )
        )
        if index % 2 == 0:
            limit = rules.loan_limit(day, parameter_on)
            loans.append(
                GuaranteedLoan(
                    person=registration.person,
                    town_id=registration.town_id,
                    base=base,
                    business=business,
                    principal=limit * rng.choice((Decimal("0.5"), Decimal("1"))),
                    annual_rate=Decimal("0.05350"),
                    months=rng.choice((12, 24, 36)),
                    method=rng.choice(RepaymentMethod.values),
                    granted_on=day,
                )
            )
    StartupSubsidy.objects.bulk_create(subsidies)
    GuaranteedLoan.objects.bulk_create(loans)
    LoanInstalment.objects.bulk_create(
        LoanInstalment(loan=loan, **vars(instalment))
        for loan in loans
        for instalment in rules.repayment_schedule(
            principal=loan.principal,
            annual_rate=loan.annual_rate,
            months=loan.months,
            method=loan.method,
            granted_on=loan.granted_on,
            parameter=parameter_on,
        )
    )
    return {
        "incubation_bases": len(bases),
        "startup_subsidies": len(subsidies),
        "guaranteed_loans": len(loans),
    }


def _unemployment_spell(person, registered, ended) -> list[LabourStatus]:
    """Employed until the day before registering, unemployed, employed again if ended."""
    spell = [
        LabourStatus(
            person=person,
            status=Status.EMPLOYED,
            since=SINCE,
            until=registered - dt.timedelta(days=1),
            source=StatusSource.SOCIAL_INSURANCE,
        ),
        LabourStatus(
            person=person,
            status=Status.UNEMPLOYED,
            since=registered,
            until=ended - dt.timedelta(days=1) if ended else None,
            source=StatusSource.WINDOW,
        ),
    ]
    if ended:
        spell.append(
            LabourStatus(
                person=person,
                status=Status.EMPLOYED,
                since=ended,
                source=StatusSource.REFERRAL,
            )
        )
    return spell
