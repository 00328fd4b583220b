"""Rounds: freeze the list and publish the hashes; draw with the core.

The protocol of `equiserve.allocation.round`: `round_freeze` freezes the
eligible list, publishes its SHA-256 and the seed commitment and seals the
seed; `round_draw` reveals the seed, draws with the core and makes the offers.
"""

import datetime as dt
import json
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equiserve.allocation import (
    Applicant,
    RankingConfig,
    RoundFormatError,
    RoundMismatch,
    canonical_json,
    draw_round,
    frozen_list,
    list_sha256,
    new_seed,
    seed_commitment,
    sha256_hex,
)
from equiserve.allocation import Unit as RoundUnit
from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.housing.assessment import (
    parameter,
    ranking_for,
)
from equiserve.housing.models import (
    LIVE_OFFER,
    AllocationRound,
    Application,
    ApplicationPreference,
    ApplicationStatus,
    Estate,
    Offer,
    OfferStatus,
    RoundSeal,
    RoundStatus,
    Unit,
    UnitStatus,
    application_pk,
    round_reference,
)
from equiserve.housing.sealing import seal_seed, unseal_seed
from equiserve.housing.services.applications import applications_assess
from equiserve.housing.services.common import (
    PLAN_QUOTA,
    ROUND,
    HousingError,
    round_json_text,
)

# Rounds --------------------------------------------------------------------


def plan_migrant_quota(as_of: dt.date) -> int | None:
    """Return the units left for migrant households in `as_of`'s year (None: no quota).

    The plan's yearly quota (3.8, "总量控制") less the offers to migrant
    households already held or accepted from rounds of the same year.
    """
    quota = parameter("housing.migrant_annual_quota", as_of)
    if quota is None:
        return None
    used = Offer.objects.filter(
        LIVE_OFFER, round__as_of__year=as_of.year, application__migrant=True
    ).count()
    return max(int(quota) - used, 0)


@transaction.atomic
def round_freeze(
    *,
    round_id: str,
    title: str,
    as_of: dt.date,
    actor,
    migrant_quota: int | str | None = PLAN_QUOTA,
    ranking_version: str | None = None,
    estates: Sequence[Estate] | None = None,
    request=None,
) -> AllocationRound:
    """Freeze the eligible list and the available units; publish the two hashes.

    Every waiting application without a pending offer is assessed again on
    `as_of`; those no longer eligible leave the list (and are logged). The
    seed is drawn now and sealed; only its commitment is published.
    `migrant_quota` is a number, None for no quota, or "plan" for what is
    left of the plan's yearly quota.
    """
    if AllocationRound.objects.filter(pk=round_id).exists():
        raise HousingError(_("A round with this id exists already."))
    if AllocationRound.objects.filter(status=RoundStatus.FROZEN).exists():
        raise HousingError(_("Another round is frozen: draw it first."))
    try:
        ranking = ranking_for(ranking_version)
    except KeyError:
        raise HousingError(_("There is no such ranking version.")) from None
    if migrant_quota == PLAN_QUOTA:
        migrant_quota = plan_migrant_quota(as_of)

    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(status=ApplicationStatus.WAITING)
        .exclude(offers__status=OfferStatus.PENDING)
        .select_related("household")
        .order_by("pk")
    )
    applications_assess(
        applications, date=as_of, ranking=ranking, actor=actor, request=request
    )
    waiting = [a for a in applications if a.status == ApplicationStatus.WAITING]
    preferences: dict[int, list[str]] = {a.pk: [] for a in waiting}
    for application_id, code in (
        ApplicationPreference.objects.filter(application__in=waiting)
        .order_by("application_id", "rank")
        .values_list("application_id", "estate__code")
    ):
        preferences[application_id].append(code)
    applicants = [
        Applicant(
            id=round_reference(round_id, a.pk),
            priority=a.priority or None,
            score=a.score,
            waiting_since=a.submitted_on.isoformat(),
            household_size=a.household_size,
            preferences=tuple(preferences[a.pk]),
            migrant=a.migrant,
            refusals=a.refusals,
        )
        for a in waiting
    ]
    units = Unit.objects.select_for_update(of=("self",)).filter(
        status=UnitStatus.AVAILABLE
    )
    if estates is not None:
        units = units.filter(estate__in=estates)
    units = list(units.select_related("estate").order_by("code"))
    round_units = [
        RoundUnit(u.code, u.estate.code, u.bedrooms, tuple(u.suits)) for u in units
    ]
    config = ranking.config
    try:
        published_hash = list_sha256(
            applicants, round_units, config, round_id=round_id,
            migrant_quota=migrant_quota,
        )  # fmt: skip
    except RoundFormatError as error:
        raise HousingError(str(error)) from None
    text = canonical_json(
        frozen_list(
            applicants, round_units, config, round_id=round_id,
            migrant_quota=migrant_quota,
        )
    ).decode("utf-8")  # fmt: skip
    assert sha256_hex(text.encode("utf-8")) == published_hash
    seed = new_seed()
    frozen = AllocationRound(
        id=round_id,
        title=title,
        status=RoundStatus.FROZEN,
        as_of=as_of,
        ranking_version=ranking.version,
        criteria=ranking.criteria,
        migrant_quota=migrant_quota,
        frozen_list=text,
        list_sha256=published_hash,
        seed_commitment=seed_commitment(seed),
        applicants=len(applicants),
        units=len(round_units),
        frozen_at=timezone.now(),
        frozen_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    frozen.full_clean()
    frozen.save(force_insert=True)
    nonce, sealed = seal_seed(seed, round_id)
    RoundSeal.objects.create(round=frozen, nonce=nonce, sealed=sealed)
    Unit.objects.filter(pk__in=[u.pk for u in units]).update(status=UnitStatus.RESERVED)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type=ROUND,
        object_id=round_id,
        summary=f"round {round_id} frozen: {len(applicants)} applicants, "
        f"{len(round_units)} units",
        changes={
            "list_sha256": published_hash,
            "seed_commitment": frozen.seed_commitment,
            "ranking_version": ranking.version,
            "migrant_quota": migrant_quota,
            "as_of": as_of.isoformat(),
        },
        request=request,
    )
    return frozen


@transaction.atomic
def round_draw(*, round_id: str, actor, request=None) -> AllocationRound:
    """Reveal the seed, draw the frozen round with the core and make the offers."""
    drawn = AllocationRound.objects.select_for_update().filter(pk=round_id).first()
    if drawn is None:
        raise HousingError(_("There is no such round."))
    if drawn.status != RoundStatus.FROZEN:
        raise HousingError(_("This round has been drawn already."))
    seal = RoundSeal.objects.filter(round=drawn).first()
    if seal is None:
        raise HousingError(_("The round's sealed seed is missing."))
    seed = unseal_seed(seal.nonce, seal.sealed, round_id)
    if seed_commitment(seed) != drawn.seed_commitment:
        raise HousingError(
            _(
                "The sealed seed does not match the published commitment (was "
                "SECRET_KEY changed?). Nothing was drawn."
            )
        )
    frozen = json.loads(drawn.frozen_list)
    try:
        data = draw_round(
            frozen["applicants"],
            frozen["units"],
            RankingConfig.from_dict(frozen["ranking_config"]),
            seed,
            round_id=round_id,
            migrant_quota=frozen["migrant_quota"],
            expected_list_sha256=drawn.list_sha256,
            expected_seed_commitment=drawn.seed_commitment,
        )
    except (RoundMismatch, RoundFormatError) as error:
        raise HousingError(
            _("The frozen list cannot be drawn: %(error)s. Nothing was drawn.")
            % {"error": error}
        ) from None
    now = timezone.now()
    drawn.status = RoundStatus.DRAWN
    drawn.seed = seed
    drawn.round_json = round_json_text(data)
    drawn.allocated = len(data["allocation"])
    drawn.drawn_at = now
    drawn.drawn_by = actor if getattr(actor, "is_authenticated", False) else None
    drawn.full_clean()
    drawn.save(
        update_fields=[
            "status", "seed", "round_json", "allocated", "drawn_at", "drawn_by",
        ]
    )  # fmt: skip
    seal.delete()
    ranks = {record["id"]: record["rank"] for record in data["applicants"]}
    applications = _applications_by_reference(round_id, list(data["allocation"]))
    unit_pk = dict(
        Unit.objects.filter(code__in=[u["id"] for u in frozen["units"]]).values_list(
            "code", "pk"
        )
    )
    Offer.objects.bulk_create(
        [
            Offer(
                round=drawn,
                application_id=applications[applicant_id],
                unit_id=unit_pk[unit_code],
                rank=ranks[applicant_id],
            )
            for applicant_id, unit_code in data["allocation"].items()
        ],
        batch_size=1000,
    )
    offered = [unit_pk[code] for code in data["allocation"].values()]
    Unit.objects.filter(pk__in=offered).update(status=UnitStatus.OFFERED)
    Unit.objects.filter(
        pk__in=list(unit_pk.values()), status=UnitStatus.RESERVED
    ).update(status=UnitStatus.AVAILABLE)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DECIDE,
        object_type=ROUND,
        object_id=round_id,
        summary=f"round {round_id} drawn: {len(data['allocation'])} of "
        f"{len(frozen['units'])} units offered",
        changes={"seed": seed, "round_json_sha256": sha256_hex(
            drawn.round_json.encode("utf-8")
        )},
        request=request,
    )  # fmt: skip
    return drawn


def _applications_by_reference(round_id: str, references: list[str]) -> dict[str, int]:
    """Return the application pk of each of a round's references.

    Rounds frozen before references were keyed name applications by their
    sequential code (A000042); those are read as such.
    """
    wanted = set(references)
    found = {}
    for pk in Application.objects.values_list("pk", flat=True).iterator():
        reference = round_reference(round_id, pk)
        if reference in wanted:
            found[reference] = pk
    for reference in wanted - found.keys():
        legacy = application_pk(reference)
        if legacy is None:
            raise HousingError(
                _("The frozen list names an unknown application: %(ref)s.")
                % {"ref": reference}
            )
        found[reference] = legacy
    return found
