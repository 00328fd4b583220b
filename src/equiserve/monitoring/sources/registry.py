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
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)

from equiserve.frames import read_frame
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


def _selection_q(term, period) -> Q:
    """Return the term's selection of the registry: residence, `where`, `when`."""
    options = term.options
    people = term.source in ("persons", "cases")
    condition = Q()
    if people and options.get("resident", True):
        condition &= conditions.resident_on(period.end)
    for key, value in (options.get("where") or {}).items():
        condition &= Q(**{key: value})
    for name in options.get("when") or []:
        predicates = conditions.PREDICATES["persons" if people else term.source]
        condition &= predicates[name](period)
    return condition


def _term_q(ref: TermRef, period) -> Q:
    condition = _selection_q(ref.term, period)
    if ref.term.source == "cases":
        from equiserve.monitoring.sources.cases import beneficiary

        condition &= beneficiary(period, ref.term.options["programme"])
    return condition


# The person fields each split groups by (an unlisted split: any field may).
_GROUP_FIELDS = {
    AGE_BAND: {"birth_date"},
    URBAN_RURAL: {"village"},
    HUKOU: {"hukou"},
    SEX: {"sex"},
}


def _q_fields(condition: Q) -> set[str] | None:
    """Return the fields a filter reads (each lookup's first name); None when it
    holds an expression (a subquery) that may read any."""
    found = set()
    for child in condition.children:
        if isinstance(child, Q):
            inner = _q_fields(child)
            if inner is None:
                return None
            found |= inner
        elif isinstance(child, tuple):
            key, value = child
            found.add(key.split("__")[0])
            if isinstance(value, F):
                found.add(value.name.split("__")[0])
            elif hasattr(value, "resolve_expression"):
                return None
        else:
            return None
    return found


def person_fields_read(indicator, term, periods) -> set[str] | None:
    """Return the person fields (attnames) whose change can move a persons term
    in `periods`; None when any change can.

    Its places and who is alive, its selection (`where`, `when`, residence),
    the rule's inputs and the indicator's splits. A field reached through a
    relation the person does not hold (the health record, a beneficiary's
    cases) is that record's: its own changes mark their values.
    """
    names = {"town", "village", "birth_date", "death_date"}
    for period in periods:
        selection = _q_fields(_selection_q(term, period))
        if selection is None:
            return None
        names |= selection
    if rule := term.options.get("rule"):
        paths = engine.person_paths_read(rule, [period.end for period in periods])
        names |= {path.split("__")[0] for path in paths}
    for by in indicator.disaggregations:
        if by not in _GROUP_FIELDS:
            return None
        names |= _GROUP_FIELDS[by]
    found = set()
    for name in names:
        if name == "pk":
            continue
        field = Person._meta.get_field(name)
        if field.concrete:
            found.add(field.attname)
    return found


def _rule_atoms(ref: TermRef, request, queryset, definitions, outcomes) -> list[Atom]:
    """Count the term's population where the engine's rule is true, and unknown."""
    output = ref.term.options["rule"]
    selection = _selection(ref, request, queryset, definitions)
    unknown_ref = ref._replace(role=undetermined_role(ref.role))
    atoms = []
    for index, period in enumerate(ref.periods):
        frame = selection.filter(pl.col(f"in_{index}")).join(
            outcomes[(output, period.end)], on="pk", how="left"
        )
        housed = pl.col(f"housed_{index}")
        counts = (
            frame.with_columns(
                (housed | pl.col(engine.OUTCOME).fill_null(False)).alias("true"),
                (~housed & pl.col(engine.OUTCOME).is_null()).alias("unknown"),
            )
            .group_by("town", "village", pl.col(f"group_{index}").alias("group"))
            .agg(pl.col("true").sum(), pl.col("unknown").sum())
        )
        for town, village, group, true, unknown in counts.iter_rows():
            village = village if VILLAGE in request.levels else None
            if true:
                atoms.append(Atom(ref, period, town, village, group, float(true)))
            if unknown:
                atoms.append(
                    Atom(unknown_ref, period, town, village, group, float(unknown))
                )
    return atoms


def _selection(ref: TermRef, request, queryset, definitions) -> pl.DataFrame:
    """Return the term's population in every period from one read of the registry.

    Columns: pk, town, village, and per period i: in_i (selected then),
    housed_i (housed by then, for `or_housed`) and group_i (the split's group).
    Terms with the same population share the read (the 3.3.2 terms).
    """
    options = ref.term.options
    key = (
        "selection",
        ref.term.source,
        repr(sorted((k, repr(v)) for k, v in options.items() if k != "rule")),
        tuple(period.id for period in ref.periods),
        request.by,
    )

    def read() -> pl.DataFrame:
        annotations, schema = (
            {},
            {"pk": pl.Int64, "town": pl.String, "village": pl.String},
        )
        anywhen = Q(pk__in=[])
        for index, period in enumerate(ref.periods):
            condition = _term_q(ref, period)
            anywhen |= condition
            annotations[f"in_{index}"] = ExpressionWrapper(
                condition, output_field=BooleanField()
            )
            housed = (
                Exists(conditions.housed_subquery(period))
                if options.get("or_housed")
                else Value(False)
            )
            annotations[f"housed_{index}"] = ExpressionWrapper(
                housed, output_field=BooleanField()
            )
            group = _group_expression(request.by, period, definitions)
            annotations[f"group_{index}"] = group if group is not None else Value("")
        for name in annotations:
            schema[name] = pl.String if name.startswith("group_") else pl.Boolean
        rows = (
            queryset.filter(anywhen)
            .annotate(**annotations)
            .order_by()
            .values_list("pk", "town_id", "village_id", *annotations)
        )
        return read_frame(rows, schema)

    return request.remember(key, read)


def _signature(ref: TermRef, period):
    """Return what a term's count on `period` depends on, to count it once.

    A persons term depends on the day (who is resident then). A household term
    with a selection (`when`) depends on the day too: a registered urban
    household is one with an urban member alive at the period's end, a housed
    one accepted its offer by then. Only a household term without a selection
    is the same in every period (the registry keeps no history of households),
    so its periods share one count. (Before issue 13's follow-up, every
    household term shared the first period's count: the 3.8 denominator read
    738 households in 2016H2 where 732 had a living urban member.)
    """
    if ref.term.source != "households" or ref.term.options.get("rule"):
        return period.id
    if ref.term.options.get("when"):
        return period.id
    return ()


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
    if ruled:
        outputs = sorted({ref.term.options["rule"] for ref in ruled})
        days = sorted({period.end for ref in ruled for period in ref.periods})
        outcomes = engine.outcomes(request, outputs, days)
        for ref in ruled:
            atoms += _rule_atoms(ref, request, queryset, definitions, outcomes)
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
