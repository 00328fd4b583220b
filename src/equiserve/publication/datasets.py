"""The published tables (clause 4.4): each with a DCAT metadata record.

Every table is built from aggregate reads only (no name, ID number or record id
reaches a row), every count passes `suppression`, and each table is offered as
a page, CSV and JSON alike, with the same cells. Labels follow the active
language; the codes a harvester needs (clause, town code) sit in their own
columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from equiserve.publication.suppression import SUPPRESSED, shown, suppress_group
from equiserve.rules import plan_gateway

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
PUBLISHER = {
    "zh": "中山市发展和改革局（城乡发展改革领导小组办公室）",
    "en": "Zhongshan Development and Reform Bureau (the leading group's office)",
}
CITY = "city"  # the monitoring's place for the whole city
# The city in published tables: Zhongshan's administrative division code.
CITY_CODE = "442000"


def lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


@dataclass
class Column:
    name: str
    label: str
    count: bool = False  # a count of people: suppressed below 10
    money: bool = False


@dataclass
class Dataset:
    """One published table and its metadata record (DCAT dcat:Dataset)."""

    slug: str
    title: str
    description: str
    clause: str
    period: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    modified: dt.datetime | None = None

    def values(self, row: dict) -> list[str]:
        return [row.get(column.name, "") for column in self.columns]


def _stamp(*candidates) -> dt.datetime:
    found = [c for c in candidates if c is not None]
    return max(found) if found else timezone.now()


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


# -- what the plan promised ---------------------------------------------------


def promises() -> Dataset:
    from equiserve.portal.catalogue import load_catalogue

    catalogue = load_catalogue()
    language = lang()
    rows = [
        {
            "domain": f"{domain.id} {domain.title.get(language, '')}",
            "clause": item.clause,
            "item": item.title.get(language, ""),
            "promise": item.summary.get(language, ""),
        }
        for domain in catalogue.domains
        for item in domain.items
    ]
    return Dataset(
        slug="plan-promises",
        title=_("What the plan promised"),
        description=_(
            "Every item of the Zhongshan 2014–2016 public service equalization plan, "
            "with what it asks for."
        ),
        clause="3",
        period="2014/2016",
        columns=[
            Column("domain", _("Domain")),
            Column("clause", _("Clause")),
            Column("item", _("Item")),
            Column("promise", _("What the plan asks for")),
        ],
        rows=rows,
        modified=timezone.make_aware(
            dt.datetime.fromisoformat(str(catalogue.issued_on))
        ),
    )


# -- targets and their status -------------------------------------------------


def target_figures(period=None):
    """Return the judged figures of every targeted indicator, city and towns."""
    from equiserve.monitoring.definitions import CITY as CITY_LEVEL
    from equiserve.monitoring.definitions import TOWN, load_definitions
    from equiserve.monitoring.periods import current_period
    from equiserve.monitoring.selectors import judged

    definitions = load_definitions()
    period = period or current_period()
    targeted = [i for i in definitions.indicators if i.targets]
    figures = judged(
        targeted, period, levels=[CITY_LEVEL, TOWN], definitions=definitions
    )
    return period, figures


def _figure_row(figure, period) -> dict:
    from equiserve.formatting import half_year, town_name

    indicator = figure.indicator
    numerator = figure.numerator
    # A rate over fewer than 10 people could name them: the value is not shown.
    hidden = numerator is not None and 0 < numerator < 10
    value = indicator.rounded(figure.value) if figure.value is not None else None
    target = figure.judgement.target
    return {
        "domain": indicator.domain,
        "clause": indicator.clause,
        "indicator": indicator.label_in(lang()),
        "place_code": CITY_CODE if figure.place == CITY else figure.place,
        "place": _("Whole city") if figure.place == CITY else town_name(figure.place),
        "period": half_year(period.id),
        "value": SUPPRESSED if hidden else ("" if value is None else f"{value:g}"),
        "unit": indicator.unit,
        "target": ""
        if target is None
        else f"{figure.judgement.rule.symbol} {target:g}",
        "status_code": figure.status,
        "status": str(figure.judgement.label),
    }


def targets() -> Dataset:
    from equiserve.monitoring.models import IndicatorValue

    period, figures = target_figures()
    rows = [_figure_row(f, period) for f in figures]
    rows.sort(
        key=lambda r: (
            r["clause"],
            r["indicator"],
            r["place_code"] != CITY_CODE,
            r["place_code"],
        )
    )
    computed = IndicatorValue.objects.aggregate(at=Max("computed_at"))["at"]
    return Dataset(
        slug="targets-by-town",
        title=_("Targets and their status, by town"),
        description=_(
            "Each indicator with a target in the plan, for the city and each town: "
            "its value in the latest half-year, the target and the status, from the "
            "values the monitoring office keeps."
        ),
        clause="4.2",
        period=period.id,
        columns=[
            Column("clause", _("Clause")),
            Column("indicator", _("Indicator")),
            Column("place_code", _("Place code")),
            Column("place", _("Place")),
            Column("period", _("Period")),
            Column("value", _("Value")),
            Column("unit", _("Unit")),
            Column("target", _("Target")),
            Column("status", _("Status")),
        ],
        rows=rows,
        modified=_stamp(computed),
    )


# -- what residents received --------------------------------------------------


def received() -> Dataset:
    """Per programme and town: people granted a service, and the amounts paid."""
    from equiserve.cases.models import PAYMENT, Delivery, Entitlement
    from equiserve.formatting import town_name
    from equiserve.geography.models import Town

    programmes = plan_gateway.plan().programmes
    people: dict[tuple[str, str], int] = {
        (p, t): n
        for p, t, n in Entitlement.objects.filter(active=True)
        .values_list("case__programme", "case__town_id")
        .annotate(n=Count("case__applicant", distinct=True))
        .order_by()
    }
    paid: dict[tuple[str, str], Decimal] = {
        (p, t): total
        for p, t, total in Delivery.objects.filter(item=PAYMENT)
        .values_list("case__programme", "case__town_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    # A person holds one entitlement in force per case; across towns a person
    # counts where their case was filed, so a programme's towns add up.
    towns = list(Town.objects.order_by("code").values_list("code", flat=True))
    rows = []
    language = lang()
    for code, programme in programmes.items():
        if programme.casework is None:
            continue
        counts = [people.get((code, town), 0) for town in towns]
        amounts = [paid.get((code, town), Decimal(0)) for town in towns]
        total = sum(counts)
        total_amount = sum(amounts, Decimal(0))
        label = f"{programme.clause} {programme.label_in(language)}"
        # Health programmes are published for the whole city only.
        health = programme.casework.health
        hidden, total_hidden = (
            suppress_group(counts, total)
            if not health
            else ([True] * len(counts), False)
        )
        total_hidden = total_hidden or (health and 0 < total < 10)
        rows.append(
            {
                "clause": programme.clause,
                "programme": label,
                "place_code": CITY_CODE,
                "place": _("Whole city"),
                "people": shown(total, total_hidden),
                "paid": SUPPRESSED if total_hidden else _money(total_amount),
            }
        )
        if health:
            continue
        for town, count, amount, hide in zip(
            towns, counts, amounts, hidden, strict=True
        ):
            rows.append(
                {
                    "clause": programme.clause,
                    "programme": label,
                    "place_code": town,
                    "place": town_name(town),
                    "people": shown(count, hide),
                    "paid": SUPPRESSED if hide else _money(amount),
                }
            )
    latest = Delivery.objects.aggregate(at=Max("recorded_at"))["at"]
    decided = Entitlement.objects.aggregate(at=Max("created_at"))["at"]
    return Dataset(
        slug="services-received",
        title=_("Services received, by programme and town"),
        description=_(
            "People granted each programme (entitlements in force) and the amounts "
            "paid, for the city and each town. Counts from 1 to 9 are shown as <10, "
            "and one more cell is hidden where a single hidden cell could be worked "
            "out from the total; health programmes are shown for the whole city only."
        ),
        clause="4.4",
        period="2014/2016",
        columns=[
            Column("clause", _("Clause")),
            Column("programme", _("Programme")),
            Column("place_code", _("Place code")),
            Column("place", _("Place")),
            Column("people", _("People granted"), count=True),
            Column("paid", _("Amount paid (CNY)"), money=True),
        ],
        rows=rows,
        modified=_stamp(latest, decided),
    )


# -- housing rounds and service guides -------------------------------------------


def rounds() -> Dataset:
    from equiserve.housing.models import AllocationRound

    found = AllocationRound.objects.order_by("-frozen_at", "id")
    rows = [
        {
            "round": r.id,
            "title": r.title,
            "status": str(r.get_status_display()),
            "applicants": shown(r.applicants, False),
            "units": str(r.units),
            "allocated": str(r.allocated),
            "list_sha256": r.list_sha256,
        }
        for r in found
    ]
    return Dataset(
        slug="housing-rounds",
        title=_("Public rental housing allocation rounds"),
        description=_(
            "Each round: its applicants (<10 when fewer than 10), units, units "
            "allocated and the SHA-256 of its frozen list, which anyone can check."
        ),
        clause="3.8",
        period="2014/2016",
        columns=[
            Column("round", _("Round")),
            Column("title", _("Title")),
            Column("status", _("Status")),
            Column("applicants", _("Applicants"), count=True),
            Column("units", _("Units")),
            Column("allocated", _("Units allocated")),
            Column("list_sha256", _("SHA-256 of the frozen list")),
        ],
        rows=rows,
        modified=_stamp(*(r.frozen_at for r in found)),
    )


def guides() -> Dataset:
    language = lang()
    rows = []
    for programme in plan_gateway.plan().programmes.values():
        guide = programme.guide
        if guide is None:
            continue
        documents = (
            "、".join(d.label_in(language) for d in programme.casework.documents)
            if programme.casework
            else ""
        )
        rows.append(
            {
                "clause": programme.clause,
                "programme": programme.label_in(language),
                "where": guide.where_in(language),
                "documents": documents,
                "time_limit": guide.time_limit_in(language),
                "phone": guide.phone,
            }
        )
    return Dataset(
        slug="service-guides",
        title=_("How to apply: a guide for each service"),
        description=_(
            "Where to apply, the documents to bring, the time limit and the phone "
            "number for each programme (illustrative until each department sets its own)."
        ),
        clause="4.4",
        period="2014/2016",
        columns=[
            Column("clause", _("Clause")),
            Column("programme", _("Programme")),
            Column("where", _("Where to apply")),
            Column("documents", _("Documents")),
            Column("time_limit", _("Time limit")),
            Column("phone", _("Phone")),
        ],
        rows=rows,
        modified=None,
    )


BUILDERS = {
    "plan-promises": promises,
    "targets-by-town": targets,
    "services-received": received,
    "housing-rounds": rounds,
    "service-guides": guides,
}


def dataset(slug: str) -> Dataset:
    return BUILDERS[slug]()


def all_datasets() -> list[Dataset]:
    return [builder() for builder in BUILDERS.values()]
