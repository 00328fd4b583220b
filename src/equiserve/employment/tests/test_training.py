"""Training bought by its results: one payment per certified completer, exact to the
fen, never twice (issue 15, deliverable 3)."""

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from openpyxl import load_workbook

from equiserve.audit.models import AuditEntry
from equiserve.employment import selectors, services
from equiserve.employment.models import TrainingPayment
from equiserve.employment.tests.factories import make_completer, make_course
from equiserve.testkit import GUZHEN, XIAOLAN, make_officer, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


BUREAU_PAYS_ON = dt.date(2015, 8, 1)


@pytest.fixture
def bureau(geography):
    return make_officer("hr-x", "department", department="hr-social-security")


@pytest.mark.django_db
def test_a_completer_certified_before_the_rise_is_paid_800_and_after_it_1000(bureau):
    course = make_course(bureau)
    before = make_completer(course, XIAOLAN, bureau, certified_on=dt.date(2015, 6, 30))
    after = make_completer(course, GUZHEN, bureau, certified_on=dt.date(2015, 7, 1))
    make_completer(course, XIAOLAN, bureau, certified_on=dt.date(2015, 8, 2))  # later
    services.enrolment_make(
        course=course,
        person=make_person(XIAOLAN),
        enrolled_on=course.starts_on,
        actor=bureau,
    )  # enrolled, never certified: not paid for
    audited = AuditEntry.objects.count()
    paid = services.training_course_pay(
        course=course, paid_on=BUREAU_PAYS_ON, actor=bureau
    )
    assert {p.enrolment_id: p.amount for p in paid} == {
        before.pk: Decimal("800.00"),
        after.pk: Decimal("1000.00"),
    }
    assert AuditEntry.objects.count() == audited + 2
    # Paying the course again pays no one twice.
    assert (
        services.training_course_pay(
            course=course, paid_on=BUREAU_PAYS_ON, actor=bureau
        )
        == []
    )
    with pytest.raises(ValidationError, match="paid for already"):
        services.training_payment_make(
            enrolment=before, paid_on=BUREAU_PAYS_ON, actor=bureau
        )
    totals = selectors.training_ledger_totals(TrainingPayment.objects.all())
    assert totals == [
        {
            "provider": course.provider.name,
            "completers": 2,
            "amount": Decimal("1800.00"),
        }
    ]


@pytest.mark.django_db
def test_an_uncertified_enrolment_is_not_paid_for(bureau):
    course = make_course(bureau)
    enrolment = services.enrolment_make(
        course=course,
        person=make_person(XIAOLAN),
        enrolled_on=course.starts_on,
        actor=bureau,
    )
    with pytest.raises(ValidationError, match="Only a certified completer"):
        services.training_payment_make(
            enrolment=enrolment, paid_on=BUREAU_PAYS_ON, actor=bureau
        )
    assert not TrainingPayment.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_second_payment_for_the_same_completer(bureau):
    course = make_course(bureau)
    completer = make_completer(course, XIAOLAN, bureau)
    payment = services.training_payment_make(
        enrolment=completer, paid_on=BUREAU_PAYS_ON, actor=bureau
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingPayment.objects.create(
            enrolment=completer,
            provider=payment.provider,
            town_id=XIAOLAN,
            amount=payment.amount,
            paid_on=BUREAU_PAYS_ON,
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)
def test_two_racing_payments_for_one_completer_pay_once(geography):
    bureau = make_officer("hr-x", "department", department="hr-social-security")
    completer = make_completer(make_course(bureau), XIAOLAN, bureau)
    start, outcomes = threading.Barrier(2), []

    def pay():
        start.wait()
        try:
            services.training_payment_make(
                enrolment=completer, paid_on=BUREAU_PAYS_ON, actor=bureau
            )
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert TrainingPayment.objects.filter(enrolment=completer).count() == 1


@pytest.mark.django_db
def test_the_ledger_export_totals_to_the_fen_and_holds_the_officers_town_only(
    demo_accounts, client
):
    bureau = demo_accounts["hr-social-security"]
    course = make_course(bureau)
    for town in (XIAOLAN, XIAOLAN, GUZHEN):
        make_completer(course, town, bureau, certified_on=dt.date(2015, 7, 1))
    services.training_course_pay(course=course, paid_on=BUREAU_PAYS_ON, actor=bureau)
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    response = client.get("/employment/training/?format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert len(rows) == 3  # two Xiaolan completers and the total
    assert all("古镇" not in str(row) for row in rows)
    assert Decimal(str(rows[-1][-1])) == Decimal("2000.00")
