"""Rounds: freeze and publish the hashes, keep the seed sealed, draw with the core."""

import datetime as dt
import json

import pytest

from equiserve.allocation import read_round, seed_commitment, sha256_hex, verify
from equiserve.audit.models import AuditEntry
from equiserve.housing import services
from equiserve.housing.models import (
    AllocationRound,
    Application,
    Offer,
    RoundSeal,
    Unit,
    round_reference,
)
from equiserve.housing.tests.factories import AS_OF, apply, estate, household, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(geography):
    """Two estates, five units, six waiting households and one ineligible one."""
    e1, e2 = estate("E1"), estate("E2")
    units = [
        unit(e1, "E1-101", bedrooms=1, suits=(1, 2)),
        unit(e1, "E1-102", bedrooms=1, suits=(1, 2)),
        unit(e1, "E1-201", bedrooms=2, suits=(3, 4)),
        unit(e2, "E2-101", bedrooms=1, suits=(1, 2)),
        unit(e2, "E2-201", bedrooms=2, suits=(2, 3, 4)),
    ]
    applications = []
    for i in range(6):
        home, person = household(size=2 + (i == 5), floor_area=str(12 + i))
        applications.append(apply(home, person, [e1, e2] if i % 2 else [e2, e1]))
    home, person = household(size=2, floor_area="40.00")
    ineligible = apply(home, person, [e1])
    return {"units": units, "applications": applications, "ineligible": ineligible}


def freeze(round_id="r1", **options):
    options.setdefault("migrant_quota", None)
    return services.round_freeze(
        round_id=round_id, title="Test round", as_of=AS_OF, actor=None, **options
    )


def test_freezing_publishes_the_list_hash_and_the_seed_commitment_only(city):
    frozen = freeze()
    assert frozen.status == "frozen"
    assert (frozen.applicants, frozen.units) == (6, 5)
    assert frozen.list_sha256 == sha256_hex(frozen.frozen_list.encode("utf-8"))
    document = json.loads(frozen.frozen_list)
    assert [a["id"] for a in document["applicants"]] == sorted(
        round_reference("r1", a.pk) for a in city["applications"]
    )
    assert document["ranking_config"]["version"] == "1"
    assert frozen.seed == "" and frozen.round_json == ""
    seal = RoundSeal.objects.get(round=frozen)
    assert len(seal.sealed) == 64
    assert set(Unit.objects.values_list("status", flat=True)) == {"reserved"}


def test_the_seed_stays_secret_until_the_draw_then_matches_the_commitment(city):
    frozen = freeze()
    seal = RoundSeal.objects.get(round=frozen)
    before = list(AuditEntry.objects.values_list("summary", "changes"))
    drawn = services.round_draw(round_id="r1", actor=None)
    seed = drawn.seed
    assert seed_commitment(seed) == frozen.seed_commitment
    assert seal.sealed != seed
    # Nothing stored before the draw held the seed: not the round, not the log.
    assert seed not in json.dumps(before, ensure_ascii=False)
    assert seed not in frozen.frozen_list
    assert not RoundSeal.objects.filter(round=frozen).exists()
    drawn_entry = AuditEntry.objects.filter(object_type="housing.round").last()
    assert drawn_entry.changes["seed"] == seed


def test_a_drawn_round_exports_the_cores_round_json_and_makes_the_offers(city):
    freeze()
    drawn = services.round_draw(round_id="r1", actor=None)
    data = read_round(drawn.round_json)
    assert verify(
        data,
        expected_list_sha256=drawn.list_sha256,
        expected_seed_commitment=drawn.seed_commitment,
    ).ok
    assert list(data) == [
        "format", "round_id", "ranking_config", "migrant_quota", "applicants",
        "units", "list_sha256", "seed_commitment", "seed", "allocation",
        "unallocated",
    ]  # fmt: skip
    offers = {
        round_reference("r1", o.application_id): o.unit.code
        for o in Offer.objects.select_related("application", "unit")
    }
    assert offers == data["allocation"]
    assert len(offers) == drawn.allocated == 5
    assert set(Unit.objects.values_list("status", flat=True)) == {"offered"}
    # Six applicants, five units: one is told why not.
    assert list(data["unallocated"].values()) == ["units_taken"]


def test_a_round_is_frozen_and_drawn_once(city):
    freeze()
    with pytest.raises(services.HousingError, match="Another round is frozen"):
        freeze("r2")
    with pytest.raises(services.HousingError, match="exists already"):
        freeze("r1")
    services.round_draw(round_id="r1", actor=None)
    with pytest.raises(services.HousingError, match="drawn already"):
        services.round_draw(round_id="r1", actor=None)
    with pytest.raises(services.HousingError, match="no such round"):
        services.round_draw(round_id="nope", actor=None)


def test_a_list_altered_after_the_freeze_is_not_drawn(city):
    frozen = freeze()
    document = json.loads(frozen.frozen_list)
    document["applicants"][0]["score"] += 1
    AllocationRound.objects.filter(pk="r1").update(
        frozen_list=json.dumps(document, sort_keys=True, separators=(",", ":"))
    )
    with pytest.raises(Exception, match="the list changed after it was frozen"):
        services.round_draw(round_id="r1", actor=None)
    assert AllocationRound.objects.get(pk="r1").status == "frozen"


def test_a_seal_opened_with_another_secret_key_draws_nothing(city, settings):
    freeze()
    settings.SECRET_KEY = "another-key-" + "x" * 40
    with pytest.raises(services.HousingError, match="does not match the published"):
        services.round_draw(round_id="r1", actor=None)
    assert not Offer.objects.exists()


def test_freezing_reassesses_and_drops_households_no_longer_eligible(city):
    leaving = city["applications"][0]
    leaving.household.floor_area_m2 = 100
    leaving.household.save()
    frozen = freeze()
    assert frozen.applicants == 5
    leaving.refresh_from_db()
    assert (leaving.status, leaving.assessed_on) == ("not_eligible", AS_OF)
    assert AuditEntry.objects.filter(
        object_type="housing.application",
        object_id=leaving.code,
        summary=f"reassessed on {AS_OF}: waiting → not_eligible",
    ).exists()


def test_the_plans_yearly_migrant_quota_is_what_is_left_of_the_year(city):
    home, person = household(
        size=1, hukou="elsewhere", points=200, floor_area="10", income="20000.00"
    )
    migrant = apply(home, person, [city["units"][0].estate])
    frozen = freeze(migrant_quota="plan")
    # The illustrative 2015 quota is 225 households, none used yet.
    assert frozen.migrant_quota == 225
    services.round_draw(round_id="r1", actor=None)
    assert Offer.objects.filter(application=migrant).exists()
    assert services.plan_migrant_quota(AS_OF) == 224
    assert services.plan_migrant_quota(dt.date(2013, 6, 1)) is None


def test_a_later_round_offers_the_units_refused_and_left(city):
    freeze()
    services.round_draw(round_id="r1", actor=None)
    refused = Offer.objects.order_by("rank").first()
    services.offer_answer(
        offer_id=refused.pk, answer="refuse", version=refused.version, actor=None
    )
    assert Unit.objects.get(pk=refused.unit_id).status == "available"
    second = freeze("r2")
    # The refuser and the household left without a unit wait for the freed unit.
    waiting = set(Application.objects.filter(status="waiting").exclude(
        offers__status="pending"
    ).values_list("pk", flat=True))  # fmt: skip
    assert second.applicants == len(waiting) == 2
    assert second.units == 1
