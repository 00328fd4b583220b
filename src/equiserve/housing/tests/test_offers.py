"""Offers: one answer each, one household per unit, even with two officers at once."""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import translation

from equiserve.accounts.services import demo_accounts_create
from equiserve.housing import services
from equiserve.housing.models import Application, Offer, Unit
from equiserve.housing.tests.factories import AS_OF, apply, estate, household, unit


def _user(username):
    return get_user_model().objects.get(username=username)


def _offered() -> Offer:
    e1 = estate("E1")
    unit(e1, "E1-101")
    unit(e1, "E1-102")
    for floor_area in ("10.00", "12.00", "14.00"):
        home, person = household(size=2, floor_area=floor_area)
        apply(home, person, [e1])
    services.round_freeze(
        round_id="r1", title="r1", as_of=AS_OF, actor=None, migrant_quota=None
    )
    services.round_draw(round_id="r1", actor=None)
    return Offer.objects.select_related("application", "unit").order_by("rank")[0]


@pytest.fixture
def offered(demo_accounts):
    return _offered()


@pytest.mark.django_db
def test_accepting_lets_the_unit_and_houses_the_household(offered):
    services.offer_answer(
        offer_id=offered.pk, answer="accept", version=1, actor=_user("housing")
    )
    offered.refresh_from_db()
    assert (offered.status, offered.version) == ("accepted", 2)
    assert offered.answered_by.username == "housing"
    assert Unit.objects.get(pk=offered.unit_id).status == "let"
    assert Application.objects.get(pk=offered.application_id).status == "housed"


@pytest.mark.django_db
def test_refusing_frees_the_unit_and_counts_the_refusal(offered):
    services.offer_answer(
        offer_id=offered.pk, answer="refuse", version=1, actor=_user("housing")
    )
    application = Application.objects.get(pk=offered.application_id)
    assert (application.status, application.refusals) == ("waiting", 1)
    assert Unit.objects.get(pk=offered.unit_id).status == "available"


@pytest.mark.django_db
def test_an_answer_to_an_offer_already_answered_is_refused_naming_the_first(offered):
    services.offer_answer(
        offer_id=offered.pk, answer="accept", version=1, actor=_user("housing")
    )
    # A second officer, whose page still shows version 1, records a refusal.
    with pytest.raises(services.OfferConflict) as caught:
        services.offer_answer(
            offer_id=offered.pk, answer="refuse", version=1, actor=_user("housing")
        )
    assert str(caught.value).startswith(
        "This offer was already answered (Accepted) by housing at "
    )
    assert str(caught.value).endswith("; your answer was not recorded.")
    assert Application.objects.get(pk=offered.application_id).refusals == 0
    assert Offer.objects.get(pk=offered.pk).status == "accepted"


@pytest.mark.django_db
def test_an_unknown_answer_is_refused(offered):
    with pytest.raises(services.HousingError, match="accept or refuse"):
        services.offer_answer(
            offer_id=offered.pk, answer="maybe", version=1, actor=None
        )


@pytest.mark.django_db
def test_the_database_gives_no_unit_to_two_households(offered):
    other = Application.objects.exclude(pk=offered.application_id).exclude(
        offers__isnull=False
    )[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            round=offered.round, application=other, unit=offered.unit, rank=9
        )
    # A refused offer frees the unit, so another household may be offered it.
    services.offer_answer(offer_id=offered.pk, answer="refuse", version=1, actor=None)
    Offer.objects.create(
        round=offered.round, application=other, unit=offered.unit, rank=9
    )
    assert Offer.objects.filter(unit=offered.unit).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_at_the_same_moment_one_wins_one_is_told(
    geography, settings
):
    settings.DEMO_MODE = True
    demo_accounts_create()
    offered = _offered()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def officer(answer: str) -> None:
        actor = _user("housing")
        translation.activate("en")  # a thread starts in the default language
        try:
            start.wait(timeout=10)
            for _attempt in range(200):
                try:
                    services.offer_answer(
                        offer_id=offered.pk, answer=answer, version=1, actor=actor
                    )
                    outcomes[answer] = "recorded"
                    return
                except services.OfferConflict as conflict:
                    outcomes[answer] = str(conflict)
                    return
                except OperationalError as error:
                    # SQLite's shared in-memory test database reports a lock at
                    # once instead of waiting as the file database does.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=officer, args=(a,)) for a in ("accept", "refuse")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values())[1] == "recorded"
    winner = next(a for a, outcome in outcomes.items() if outcome == "recorded")
    loser = next(a for a in outcomes if a != winner)
    assert outcomes[loser].startswith("This offer was already answered")
    stored = Offer.objects.get(pk=offered.pk)
    assert (stored.status, stored.version) == (
        {"accept": "accepted", "refuse": "refused"}[winner],
        2,
    )
    refusals = Application.objects.get(pk=offered.application_id).refusals
    assert refusals == (1 if winner == "refuse" else 0)
