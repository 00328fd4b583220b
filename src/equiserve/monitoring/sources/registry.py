"""Count persons, households and villages: one aggregate query per source.

Every term and period becomes one filtered COUNT in a single GROUP BY town
(and village) query, so the registry is read once however many indicators and
periods are asked for. A term naming a rule (`rule:`) is counted from the
engine's own outcome over the registry on the period's last day (issue 13):
the selection (`where`, `when`, residence) is a query, the rule is the
engine's, and people or households whose outcome is unknown are counted apart
(role `<role>.undetermined`), never as true.
"""

from __future__ import annotations

import polars as pl
from django.db.models import Case, CharField, Count, Exists, F, Q, Value, When

from equiserve.geography.models import Town, Village
from equiserve.monitoring import conditions
from equiserve.monitoring.definitions import (
    AGE_BAND,
    CITY,
    HUKOU,
    SEX,
    TOWN,
    URBAN_RURAL,
    VILLAGE,
    Definitions,
    age_band_label,
)
from equiserve.monitoring.sources import (
    CITY_PLACE,
    Atom,
    Key,
    Request,
    TermRef,
    add_atoms,
    engine,
    undetermined_role,
    zero_fill,
)
from equiserve.registry.models import Household, Person

UNKNOWN_GROUP = "unknown"


def places(request: Request) -> dict[str, list[str]]:
    """Return the places of each level in the request's scope."""
    towns = Town.objects.order_by("code")
    villages = Village.objects.order_by("code")
    if request.towns is not None:
        towns = towns.filter(code__in=request.towns)
        villages = villages.filter(town_id__in=request.towns)
    found = {TOWN: list(towns.values_list("code", flat=True))}
    if VILLAGE in request.levels:
        found[VILLAGE] = list(villages.values_list("code", flat=True))
    if request.whole_city:
        found[CITY] = [CITY_PLACE]
    return found


def groups_for(request: Request, definitions: Definitions) -> tuple[str, ...]:
    return definitions.groups_of(request.by) if request.by else ("",)


def _urban_rural(path: str) -> Case:
    """Return 'urban' for a community (社区), 'rural' for an administrative village."""
    return Case(
        When(**{path: "community"}, then=Value("urban")),
        When(**{path: "village"}, then=Value("rural")),
        default=Value(UNKNOWN_GROUP),
        output_field=CharField(),
    )


def _age_band(day, definitions: Definitions) -> Case:
    """Return the age band on `day`, from the birth date (completed years)."""
    whens = []
    for low, high in definitions.age_bands:
        condition = Q(birth_date__lte=conditions.years_before(day, low))
        if high is not None:
            condition &= Q(birth_date__gt=conditions.years_before(day, high + 1))
        whens.append(When(condition, then=Value(age_band_label(low, high))))
    return Case(*whens, default=Value(UNKNOWN_GROUP), output_field=CharField())


def _term_q(ref: TermRef, period) -> Q:
    source = ref.term.source
    options = ref.term.options
    people = source in ("persons", "cases")
    condition = Q()
    if people and options.get("resident", True):
        condition &= conditions.resident_on(period.end)
    for key, value in (options.get("where") or {}).items():
        condition &= Q(**{key: value})
    for name in options.get("when") or []:
        predicates = conditions.PREDICATES["persons" if people else source]
        condition &= predicates[name](period)
    if source == "cases":
        from equiserve.monitoring.sources.cases import beneficiary

        condition &= beneficiary(period, options["programme"])
    return condition


def _rule_atoms(ref: TermRef, period, request, queryset, group_expression):
    """Count the term's population where the engine's rule is true, and unknown."""
    output = ref.term.options["rule"]
    outcome = request.remember(
        ("engine", output, period.end, request.towns),
        lambda: engine.evaluate(output, period.end, request.towns),
    )
    options = ref.term.options
    # Terms with the same population share one read (the three 3.3.2 terms).
    key = (
        "selection",
        ref.term.source,
        repr(sorted((k, repr(v)) for k, v in options.items() if k != "rule")),
        period.id,
        request.by,
    )
    frame = request.remember(
        key, lambda: _selection(ref, period, queryset, group_expression)
    ).join(outcome, on="pk", how="left")
    counts = (
        frame.with_columns(
            (pl.col("housed") | pl.col(engine.OUTCOME).fill_null(False)).alias("true"),
            (~pl.col("housed") & pl.col(engine.OUTCOME).is_null()).alias("unknown"),
        )
        .group_by("town", "village", "group")
        .agg(pl.col("true").sum(), pl.col("unknown").sum())
    )
    unknown_ref = ref._replace(role=undetermined_role(ref.role))
    atoms = []
    for town, village, group, true, unknown in counts.iter_rows():
        village = village if VILLAGE in request.levels else None
        if true:
            atoms.append(Atom(ref, period, town, village, group, float(true)))
        if unknown:
            atoms.append(
                Atom(unknown_ref, period, town, village, group, float(unknown))
            )
    return atoms


def _selection(ref: TermRef, period, queryset, group_expression) -> pl.DataFrame:
    """Return the term's population on the period's last day: pk, place, group, housed."""
    selected = queryset.filter(_term_q(ref, period))
    if ref.term.options.get("or_housed"):
        housed = conditions.housed_subquery(period)
        selected = selected.annotate(monitoring_housed=Exists(housed))
    else:
        selected = selected.annotate(monitoring_housed=Value(False))
    if group_expression is None:
        group_expression = Value("")
    selected = selected.annotate(monitoring_group=group_expression)
    rows = selected.order_by().values_list(
        "pk", "town_id", "village_id", "monitoring_group", "monitoring_housed"
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "pk": pl.Int64,
            "town": pl.String,
            "village": pl.String,
            "group": pl.String,
            "housed": pl.Boolean,
        },
        orient="row",
    )


def _signature(ref: TermRef, period):
    """Return what a term's count on `period` depends on, to count it once.

    A persons term depends on the day (who is resident then); a household term
    only on the parameters its conditions read (the registry keeps no history
    of households), so its periods usually share one count.
    """
    if ref.term.source != "households" or ref.term.options.get("rule"):
        return period.id
    return tuple(
        conditions.parameter_on(name, period.end)
        for predicate in ref.term.options.get("when") or []
        for name in conditions.PARAMETERS.get(predicate, ())
    )


def _grouped_count(queryset, refs, periods, request, group_expression=None):
    """Run one GROUP BY query counting every (term, period); return its atoms."""
    fields = ["town_id"]
    if VILLAGE in request.levels:
        fields.append("village_id")
    if group_expression is not None:
        queryset = queryset.annotate(monitoring_group=group_expression)
        fields.append("monitoring_group")
    aggregates, names, meaning = {}, {}, []
    for period in periods:
        for r, ref in enumerate(refs):
            if period not in ref.periods:
                continue
            key = (r, _signature(ref, period))
            if key not in names:
                names[key] = f"n_{len(names)}"
                aggregates[names[key]] = Count("pk", filter=_term_q(ref, period))
            meaning.append((names[key], ref, period))
    atoms = []
    for row in queryset.order_by().values(*fields).annotate(**aggregates):
        group = row.get("monitoring_group", "") if group_expression is not None else ""
        for name, ref, period in meaning:
            if row[name]:
                atoms.append(
                    Atom(
                        ref,
                        period,
                        row["town_id"],
                        row.get("village_id"),
                        group,
                        float(row[name]),
                    )
                )
    return atoms


def _collect(out, refs, request, definitions, model) -> None:
    queryset = model.objects.all()
    if request.towns is not None:
        queryset = queryset.filter(town_id__in=request.towns)
    by = request.by
    ruled = [ref for ref in refs if ref.term.options.get("rule")]
    counted = [ref for ref in refs if not ref.term.options.get("rule")]
    atoms: list[Atom] = []
    if by == AGE_BAND:
        # The band depends on the day: one query per period.
        for period in request.periods:
            expression = _group_expression(by, period, definitions)
            atoms += _grouped_count(queryset, counted, [period], request, expression)
    else:
        expression = _group_expression(by, None, definitions)
        atoms = _grouped_count(queryset, counted, request.periods, request, expression)
    for ref in ruled:
        for period in ref.periods:
            expression = _group_expression(by, period, definitions)
            atoms += _rule_atoms(ref, period, request, queryset, expression)
    add_atoms(out, atoms, request)
    fill = [*refs, *(ref._replace(role=undetermined_role(ref.role)) for ref in ruled)]
    zero_fill(out, fill, request, places(request), groups_for(request, definitions))


def _group_expression(by: str, period, definitions: Definitions):
    """Return the query expression of each row's group in the split `by`."""
    if by == AGE_BAND:
        return _age_band(period.end, definitions)
    if by == URBAN_RURAL:
        return _urban_rural("village__kind")
    if by in (HUKOU, SEX):
        return F(by)
    return None


def collect_persons(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Count persons resident at each period's end (unless `resident: false`).

    Beneficiaries counted from cases are persons too: they are counted in the
    same pass over the registry.
    """
    _collect(out, refs, request, definitions, Person)


def collect_households(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Count households as the registry holds them now (it keeps no history)."""
    _collect(out, refs, request, definitions, Household)


def collect_villages(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Count administrative villages and communities (the same in every period)."""
    queryset = Village.objects.all()
    if request.towns is not None:
        queryset = queryset.filter(town_id__in=request.towns)
    atoms = []
    rows = list(queryset.values("code", "town_id", "kind"))
    for ref in refs:
        where = ref.term.options.get("where") or {}
        selected = {row["code"] for row in queryset.filter(**where).values("code")}
        for row in rows:
            if row["code"] not in selected:
                continue
            group = ""
            if request.by == URBAN_RURAL:
                group = "urban" if row["kind"] == "community" else "rural"
            for period in ref.periods:
                atoms.append(Atom(ref, period, row["town_id"], row["code"], group, 1.0))
    add_atoms(out, atoms, request)
    zero_fill(out, refs, request, places(request), groups_for(request, definitions))
