"""Reads for public rental housing: applications, the waiting list, stock, rounds,
and the 3.8 target by town."""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Exists, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from equiserve.geography.models import Town
from equiserve.housing.assessment import ranking_for
from equiserve.housing.models import (
    AllocationRound,
    Application,
    ApplicationStatus,
    Estate,
    Offer,
    OfferStatus,
    Unit,
    UnitStatus,
    round_reference,
)
from equiserve.housing.permissions import application_list_for, offer_list_for
from equiserve.housing.ranking import Ranking
from equiserve.registry.models import Household, Person


def application_list(
    *, user, status: str = "", town: str = ""
) -> QuerySet[Application]:
    """Return the applications `user` may see, newest first, optionally filtered."""
    applications = application_list_for(user).select_related(
        "household", "household__town", "applicant"
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    if town:
        applications = applications.filter(household__town_id=town)
    return applications.order_by("-pk")


def application_preferences(application: Application) -> list[Estate]:
    """Return the estates the household chose, first choice first."""
    return [
        preference.estate
        for preference in application.preferences.select_related("estate").order_by(
            "rank"
        )
    ]


def application_offers(application: Application) -> QuerySet[Offer]:
    return application.offers.select_related(
        "unit", "unit__estate", "round", "answered_by"
    ).order_by("-created_at")


@dataclass(frozen=True)
class WaitingEntry:
    """An application's place on the waiting list, and why it is there."""

    application: Application
    position: int
    tied: int
    demoted: bool
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        joiner = "；" if (get_language() or "").startswith("zh") else "; "
        return joiner.join(self.reasons)


def _sort_key(application: Application, ranking: Ranking) -> tuple:
    config = ranking.config
    groups = config.priority_groups
    group = (
        groups.index(application.priority)
        if application.priority in groups
        else len(groups)
    )
    demoted = application.refusals >= config.refusal_limit
    tail = (-application.score, application.submitted_on)
    if config.refusal_demotion == "end_of_group":
        return (group, demoted, *tail)
    return (demoted, group, *tail)


def _reasons(
    application: Application, ranking: Ranking, tied: int, demoted: bool
) -> tuple[str, ...]:
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    reasons = [
        _("priority group: %(group)s")
        % {"group": ranking.group_label(application.priority, lang)}
        if application.priority
        else _("in no priority group"),
        _("score %(score)s") % {"score": application.score},
        _("waiting since %(date)s") % {"date": application.submitted_on.isoformat()},
    ]
    if demoted:
        reasons.append(
            _("moved down after refusing %(refusals)s offers (limit %(limit)s)")
            % {
                "refusals": application.refusals,
                "limit": ranking.config.refusal_limit,
            }
        )
    if tied > 1:
        reasons.append(
            _("level with %(others)s other households: the draw's lottery orders them")
            % {"others": tied - 1}
        )
    return tuple(reasons)


def waiting_list(*, user, ranking: Ranking | None = None) -> list[WaitingEntry]:
    """Return the waiting list as `user` may see it, with city-wide positions.

    The position is the one the current ranking gives before the draw: priority
    group, score, waiting time; households level on all three share a position
    and the lottery at the draw decides between them.
    """
    ranking = ranking or ranking_for()
    waiting = list(
        Application.objects.filter(status=ApplicationStatus.WAITING).select_related(
            "household", "household__town", "applicant"
        )
    )
    keyed = sorted(
        ((_sort_key(a, ranking), a) for a in waiting), key=lambda item: item[0]
    )
    counts: dict[tuple, int] = {}
    for key, _application in keyed:
        counts[key] = counts.get(key, 0) + 1
    visible = set(application_list_for(user).values_list("pk", flat=True))
    entries = []
    position = 0
    previous = None
    for index, (key, application) in enumerate(keyed, start=1):
        if key != previous:
            position, previous = index, key
        if application.pk not in visible:
            continue
        demoted = application.refusals >= ranking.config.refusal_limit
        entries.append(
            WaitingEntry(
                application=application,
                position=position,
                tied=counts[key],
                demoted=demoted,
                reasons=_reasons(application, ranking, counts[key], demoted),
            )
        )
    return entries


def waiting_entry(application: Application) -> WaitingEntry | None:
    """Return one waiting application's place on the list (None if not waiting)."""
    if application.status != ApplicationStatus.WAITING:
        return None
    ranking = ranking_for()
    waiting = Application.objects.filter(status=ApplicationStatus.WAITING)
    mine = _sort_key(application, ranking)
    ahead = tied = 0
    for other in waiting.only("priority", "refusals", "score", "submitted_on"):
        key = _sort_key(other, ranking)
        ahead += key < mine
        tied += key == mine
    demoted = application.refusals >= ranking.config.refusal_limit
    return WaitingEntry(
        application=application,
        position=ahead + 1,
        tied=tied,
        demoted=demoted,
        reasons=_reasons(application, ranking, tied, demoted),
    )


def estate_list() -> QuerySet[Estate]:
    """Return the estates with their unit counts by status."""
    return (
        Estate.objects.select_related("town")
        .annotate(
            unit_count=Count("units"),
            available_count=Count(
                "units", filter=Q(units__status=UnitStatus.AVAILABLE)
            ),
            let_count=Count("units", filter=Q(units__status=UnitStatus.LET)),
        )
        .order_by("code")
    )


def unit_list(*, estate: str = "", status: str = "") -> QuerySet[Unit]:
    units = Unit.objects.select_related("estate")
    if estate:
        units = units.filter(estate__code=estate)
    if status in UnitStatus.values:
        units = units.filter(status=status)
    return units.order_by("code")


def round_list() -> QuerySet[AllocationRound]:
    """Return every round, newest first; rounds are public."""
    return AllocationRound.objects.defer("frozen_list", "round_json").order_by(
        "-frozen_at"
    )


def application_round_references(application: Application) -> list[tuple[str, str]]:
    """Return (round id, reference) for each round whose frozen list holds the
    application, oldest first: the household finds its row by this reference."""
    found = []
    for round_id in round_list().reverse().values_list("pk", flat=True):
        reference = round_reference(round_id, application.pk)
        listed = AllocationRound.objects.filter(
            pk=round_id, frozen_list__contains=f'"{reference}"'
        )
        if listed.exists():
            found.append((round_id, reference))
    return found


def round_get(round_id: str) -> AllocationRound:
    """Return a round by id, or raise Http404."""
    found = AllocationRound.objects.filter(pk=round_id).first()
    if found is None:
        raise Http404("no such round")
    return found


def offer_list(*, user, round_id: str = "", status: str = "") -> QuerySet[Offer]:
    offers = offer_list_for(user).select_related(
        "unit", "unit__estate", "application", "application__applicant", "round"
    )
    if round_id:
        offers = offers.filter(round_id=round_id)
    if status in OfferStatus.values:
        offers = offers.filter(status=status)
    return offers.order_by("round", "rank")


def housing_difficulty_by_town(*, date: dt.date) -> list[dict]:
    """Return the 3.8 target by town: urban lower-middle-income households in
    housing difficulty, how many of them are solved, and how many the engine
    cannot decide, on `date`.

    3.8: "全面解决我市人均住房建筑面积15平方米以下的城镇中等偏下收入家庭住房困难".
    Who is in difficulty is the rules engine's `public_rental_housing_eligible`
    on `date` (income, floor area per person and assets within the limits),
    the same evaluation that decides an application and the monitoring
    indicator `housing.difficulty_solved` (issue 13); this function restates no
    limit. The households counted are registered urban ones: a member alive on
    `date` holds urban Zhongshan registration. A household is solved when it
    accepted a public rental housing offer on or before `date`; a solved
    household stays counted in the total even if its new home lifts it over the
    floor-area line. A household whose eligibility the engine cannot decide (a
    fact missing) is counted apart as `undetermined`, never in the total.
    One dict per town, in code order:
    ``{"town": "442000100", "total": int, "solved": int, "undetermined": int}``.
    """
    from equiserve.monitoring.conditions import housed_subquery, registered_urban
    from equiserve.monitoring.sources import engine

    # The selections read the period's last day only.
    day = SimpleNamespace(start=date, end=date)
    rows = (
        Household.objects.filter(registered_urban(day))
        .annotate(solved=Exists(housed_subquery(day)))
        .order_by()
        .values_list("pk", "town_id", "solved")
    )
    outcome = dict(engine.evaluate("public_rental_housing_eligible", date).iter_rows())
    counts = {code: [0, 0, 0] for code in Town.objects.values_list("code", flat=True)}
    for pk, town, is_solved in rows.iterator(chunk_size=5000):
        eligible = outcome.get(pk)
        if is_solved or eligible:
            counts[town][0] += 1
            counts[town][1] += bool(is_solved)
        elif eligible is None:
            counts[town][2] += 1
    return [
        {"town": code, "total": total, "solved": solved, "undetermined": unknown}
        for code, (total, solved, unknown) in sorted(counts.items())
    ]


def household_member(household: Household, id_number: str, name: str) -> Person | None:
    """Return the member of `household` with this full ID number and name, or None.

    The housing department files for a household only when it names a member
    by both (issue 10, finding 3): a number alone could be guessed.
    """
    return Person.objects.filter(
        household=household,
        id_number=(id_number or "").strip().upper(),
        name=(name or "").strip(),
    ).first()
