"""Read the plan's indicators and targets from `indicators/*.yaml` in the plan directory.

An indicator is data: a numerator and an optional denominator, each counted from
one source (the registries, the facility checks, a parameter of the rules engine,
or values entered by hand), a factor, the levels it is computed at, the
disaggregations it supports, and dated targets that cite their clause. The file
format is described in `indicators/README.md`; a defect raises DefinitionError
naming the file and the indicator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from equiserve.accounts.models import Department
from equiserve.charts import MET, against_target
from equiserve.monitoring import conditions

CITY, TOWN, VILLAGE = "city", "town", "village"
LEVELS = (CITY, TOWN, VILLAGE)
NUMERATOR, DENOMINATOR = "numerator", "denominator"
ROLES = (NUMERATOR, DENOMINATOR)

HUKOU, URBAN_RURAL, SEX, AGE_BAND = "hukou", "urban_rural", "sex", "age_band"
DIMENSIONS = (HUKOU, URBAN_RURAL, SEX, AGE_BAND)
# The groups of each dimension, in display order (age bands come from settings).
DIMENSION_GROUPS = {
    HUKOU: ("zhongshan", "elsewhere"),
    URBAN_RURAL: ("urban", "rural"),
    SEX: ("F", "M"),
}

AT_LEAST, AT_MOST = "at_least", "at_most"
LINEAR, STEP = "linear", "step"
TARGET_STATUSES = ("plan", "illustrative", "interpretation")


class DefinitionError(ValueError):
    """An indicator file is malformed; the message names the file and indicator."""


@dataclass(frozen=True)
class SourceKind:
    levels: frozenset[str]
    dimensions: frozenset[str]
    options: frozenset[str]
    required: frozenset[str] = frozenset()


_ALL = frozenset(LEVELS)
SOURCES: dict[str, SourceKind] = {
    # `rule`: an engine output counted where true (issue 13); `or_housed`: a
    # household housed by an accepted offer counts whatever the rule says now.
    "persons": SourceKind(
        _ALL, frozenset(DIMENSIONS), frozenset({"where", "when", "resident", "rule"})
    ),
    "households": SourceKind(
        _ALL,
        frozenset({URBAN_RURAL}),
        frozenset({"where", "when", "rule", "or_housed"}),
    ),
    "villages": SourceKind(_ALL, frozenset({URBAN_RURAL}), frozenset({"where"})),
    "facility_standard": SourceKind(
        _ALL,
        frozenset({URBAN_RURAL}),
        frozenset({"standards", "count"}),
        frozenset({"standards", "count"}),
    ),
    "facility_value": SourceKind(
        frozenset({CITY, TOWN}),
        frozenset(),
        frozenset({"standard", "field"}),
        frozenset({"standard", "field"}),
    ),
    "fitness_circle": SourceKind(
        frozenset({CITY, TOWN}),
        frozenset({HUKOU}),
        frozenset({"count"}),
        frozenset({"count"}),
    ),
    # Grants decided and paid under a programme, and those paid at the urban
    # standard (3.4.3's one standard, measured from payments; issue 13).
    "grants": SourceKind(
        frozenset({CITY, TOWN}),
        frozenset(),
        frozenset({"programme", "count"}),
        frozenset({"programme", "count"}),
    ),
    "parameter": SourceKind(
        frozenset({CITY}),
        frozenset(),
        frozenset({"name", "repealed"}),
        frozenset({"name"}),
    ),
    # Entered by hand (a form, audited); `groups` lists the dimensions entered apart.
    "entry": SourceKind(
        frozenset({CITY, TOWN}),
        frozenset(),
        frozenset({"label", "groups"}),
        frozenset({"label"}),
    ),
    # Beneficiaries among a persons term's population, counted from the cases
    # app when it is installed; entered by hand (by `groups`) until then.
    "cases": SourceKind(
        frozenset({CITY, TOWN}),
        frozenset(),
        frozenset({"programme", "label", "groups", "where", "when", "resident"}),
        frozenset({"programme", "label"}),
    ),
    # The labour register (employment app, 3.7; issue 15): urban unemployed,
    # urban labour force, communities meeting the full-employment standard.
    "employment": SourceKind(
        frozenset({CITY, TOWN}), frozenset(), frozenset({"count"}), frozenset({"count"})
    ),
}
SOURCES["t1d_registry"] = SourceKind(
    # The type-1 diabetes registry (health app, 3.3.2; issue 16): patients
    # counted, under standardized management, with glucose under control.
    frozenset({CITY, TOWN}),
    frozenset(),
    frozenset({"count"}),
    frozenset({"count"}),
)
# The migrants' free family-planning services (health app, 3.3.4; issue 16):
# `served`, eligible migrants with a service delivered in the twelve months.
SOURCES["migrant_services"] = SourceKind(
    frozenset({CITY, TOWN}),
    frozenset({HUKOU}),
    frozenset({"count"}),
    frozenset({"count"}),
)
# The library network's e-reading rooms (library app, 3.2.1; issue 19):
# villages with an open room sharing the digital resources.
SOURCES["e_reading_rooms"] = SourceKind(
    _ALL, frozenset({URBAN_RURAL}), frozenset(), frozenset()
)
ENTERED_SOURCES = ("entry", "cases")
FACILITY_COUNTS = ("met", "checked", "subjects", "all_met")
FACILITY_VALUE_FIELDS = ("area", "population", "actual", "required")
CIRCLE_COUNTS = ("covered", "people")
GRANT_COUNTS = ("paid", "unified")
T1D_COUNTS = ("patients", "managed", "controlled")
MIGRANT_SERVICE_COUNTS = ("served",)
EMPLOYMENT_COUNTS = ("unemployed", "labour_force", "communities_met")

# Plain registry fields a term may filter on with `where` (lookups exact or __in).
WHERE_FIELDS = {
    "persons": {
        "hukou",
        "hukou_kind",
        "sex",
        "school_stage",
        "low_income",
        "veteran_kind",
        "hardship_cause",
    },
    "households": set(),
    "villages": {"kind"},
}


def in_language(texts: dict[str, str], lang: str) -> str:
    """Return the zh or en text of a {zh, en} label for a Django language code."""
    key = "zh" if (lang or "").lower().startswith("zh") else "en"
    return texts.get(key) or texts.get("zh") or texts.get("en") or ""


@dataclass(frozen=True)
class Term:
    """How a numerator or denominator is counted."""

    source: str
    options: dict[str, Any] = field(hash=False, compare=False)

    @property
    def entered(self) -> bool:
        """Return whether the term is entered by hand (cases: until that app counts)."""
        if self.source == "entry":
            return True
        if self.source == "cases":
            from equiserve.monitoring.sources.cases import counts_cases

            return not counts_cases()
        return False

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.options.get("groups", ()))

    @property
    def dimensions(self) -> frozenset[str]:
        """Return the splits the term supports (entered terms: their `groups`)."""
        if self.source in ENTERED_SOURCES:
            return frozenset(self.groups)
        return SOURCES[self.source].dimensions

    def label(self, lang: str) -> str:
        return in_language(self.options.get("label", {}), lang)


@dataclass(frozen=True)
class Target:
    """A dated target citing its clause.

    `by` with `path` (linear or step) is a deadline reached from the baseline;
    `start` (`from:` in the file) is a standard that holds from that day on.
    """

    value: Decimal | None
    parameter: str
    direction: str
    by: dt.date | None
    start: dt.date | None
    path: str
    status: str
    reference: str

    def value_on(self, day: dt.date) -> float | None:
        """Return the target figure on `day` (a parameter's value when it names one)."""
        if self.value is not None:
            return float(self.value)
        from equiserve.rules import plan_gateway

        parameter = plan_gateway.plan().parameters[self.parameter]
        found = parameter.at(day) or parameter.at(self.by or day)
        return None if found is None else float(found.value)

    def meets(self, value: float, target: float) -> bool:
        return against_target(value, target, self.direction) == MET

    @property
    def symbol(self) -> str:
        return "≥" if self.direction == AT_LEAST else "≤"


@dataclass(frozen=True)
class Indicator:
    code: str
    clause: str
    domain: str
    owner: str
    label: dict[str, str] = field(hash=False, compare=False)
    definition: dict[str, str] = field(hash=False, compare=False)
    unit: str = ""
    factor: float = 1.0
    decimals: int = 1
    levels: tuple[str, ...] = (CITY, TOWN)
    disaggregations: tuple[str, ...] = ()
    numerator: Term | None = None
    denominator: Term | None = None
    targets: tuple[Target, ...] = ()
    programme: str = ""
    file: str = ""

    def label_in(self, lang: str) -> str:
        return in_language(self.label, lang)

    def definition_in(self, lang: str) -> str:
        return in_language(self.definition, lang)

    def terms(self) -> list[tuple[str, Term]]:
        """Return (role, term) for the numerator and the denominator if any."""
        found = [(NUMERATOR, self.numerator)]
        if self.denominator is not None:
            found.append((DENOMINATOR, self.denominator))
        return found

    @property
    def entered_terms(self) -> list[tuple[str, Term]]:
        return [(role, term) for role, term in self.terms() if term.entered]

    @property
    def has_target(self) -> bool:
        """Return whether the plan sets a target (else: "no target in the plan")."""
        return bool(self.targets)

    def target_on(self, day: dt.date) -> Target | None:
        """Return the target that applies on `day`: the first not yet past, else the last."""
        if not self.targets:
            return None
        for target in self.targets:
            if target.by is not None and day <= target.by:
                return target
        return self.targets[-1]

    def rounded(self, value: float | None) -> float | None:
        """Return a value rounded half up (四舍五入), as pages, API and XLSX show it."""
        if value is None:
            return None
        step = Decimal(1).scaleb(-self.decimals)
        return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Setting:
    name: str
    value: Any
    unit: str
    clause: str
    status: str
    owner: str
    reference: str
    label: dict[str, str] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Definitions:
    """Every indicator of the plan, in file order, and the monitoring settings."""

    indicators: tuple[Indicator, ...]
    settings: dict[str, Setting] = field(hash=False, compare=False)

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def codes(self) -> list[str]:
        return [indicator.code for indicator in self.indicators]

    def in_domain(self, domain: str) -> list[Indicator]:
        return [i for i in self.indicators if i.domain == domain]

    @property
    def tolerance(self) -> float:
        return float(self.settings["status_tolerance"].value)

    @property
    def deadline_days(self) -> int:
        return int(self.settings["report_deadline_days"].value)

    @property
    def age_bands(self) -> list[tuple[int, int | None]]:
        return [(low, high) for low, high in self.settings["age_bands"].value]

    def groups_of(self, dimension: str) -> tuple[str, ...]:
        if dimension == AGE_BAND:
            return tuple(age_band_label(low, high) for low, high in self.age_bands)
        return DIMENSION_GROUPS[dimension]


def age_band_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high}"


# -- reading and checking -------------------------------------------------------


def _fail(where: str, message: str) -> None:
    raise DefinitionError(f"{where}: {message}")


def _labels(raw: Any, where: str, name: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("zh") or not raw.get("en"):
        _fail(where, f"{name} needs zh and en texts")
    if set(raw) != {"zh", "en"}:
        # Typically a comma inside a {zh: …, en: …} flow mapping: quote the text.
        _fail(
            where,
            f"{name} has keys other than zh and en: {sorted(set(raw) - {'zh', 'en'})}",
        )
    return {"zh": str(raw["zh"]), "en": str(raw["en"])}


def _date(raw: Any, where: str, name: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        _fail(where, f"{name} must be a date YYYY-MM-DD, not {raw!r}")


def _term(raw: Any, where: str, role: str) -> Term:
    if not isinstance(raw, dict) or "source" not in raw:
        _fail(where, f"{role} needs a source")
    source = raw["source"]
    if source not in SOURCES:
        _fail(where, f"{role} source {source!r} is not one of {', '.join(SOURCES)}")
    kind = SOURCES[source]
    options = {key: value for key, value in raw.items() if key != "source"}
    unknown = set(options) - kind.options
    if unknown:
        _fail(
            where, f"{role} ({source}) has unknown keys: {', '.join(sorted(unknown))}"
        )
    missing = kind.required - set(options)
    if missing:
        _fail(where, f"{role} ({source}) needs: {', '.join(sorted(missing))}")
    population = "persons" if source == "cases" else source
    for key in options.get("where", {}) or {}:
        field_name = key.removesuffix("__in")
        if field_name not in WHERE_FIELDS.get(population, set()):
            _fail(where, f"{role} cannot filter {source} on {key!r}")
    for name in options.get("when", []) or []:
        if name not in conditions.PREDICATES.get(population, {}):
            _fail(where, f"{role}: no condition {name!r} on {source}")
    if "rule" in options:
        _rule(options["rule"], population, where, role)
    if options.get("or_housed") and "rule" not in options:
        _fail(where, f"{role}: or_housed goes with a rule")
    if source == "facility_standard":
        _facility_standards(options, where, role)
    if source == "facility_value" and options["field"] not in FACILITY_VALUE_FIELDS:
        _fail(where, f"{role} field must be one of {', '.join(FACILITY_VALUE_FIELDS)}")
    if source == "grants" and options["count"] not in GRANT_COUNTS:
        _fail(where, f"{role} count must be one of {', '.join(GRANT_COUNTS)}")
    if source == "fitness_circle" and options["count"] not in CIRCLE_COUNTS:
        _fail(where, f"{role} count must be one of {', '.join(CIRCLE_COUNTS)}")
    if source == "t1d_registry" and options["count"] not in T1D_COUNTS:
        _fail(where, f"{role} count must be one of {', '.join(T1D_COUNTS)}")
    if source == "migrant_services" and options["count"] not in MIGRANT_SERVICE_COUNTS:
        _fail(where, f"{role} count must be one of served")
    if source == "employment" and options["count"] not in EMPLOYMENT_COUNTS:
        _fail(where, f"{role} count must be one of {', '.join(EMPLOYMENT_COUNTS)}")
    if "label" in options:
        options["label"] = _labels(options["label"], where, f"{role} label")
    for group in options.get("groups", ()):
        if group not in DIMENSIONS:
            _fail(
                where, f"{role} group {group!r} is not one of {', '.join(DIMENSIONS)}"
            )
    return Term(source=source, options=options)


def _rule(name: Any, population: str, where: str, role: str) -> None:
    """Check that a term's rule is an output of the plan about its population."""
    from equiserve.monitoring.sources import engine

    if not isinstance(name, str) or not engine.is_output(name):
        _fail(where, f"{role}: rule {name!r} is not an output of the plan")
    entity = "person" if population == "persons" else "household"
    if engine.entity_of(name) != entity:
        _fail(where, f"{role}: rule {name!r} is not about {population}")


def _facility_standards(options: dict, where: str, role: str) -> None:
    from equiserve.facilities.standards import STANDARDS_BY_ID

    if options["count"] not in FACILITY_COUNTS:
        _fail(where, f"{role} count must be one of {', '.join(FACILITY_COUNTS)}")
    for standard in options["standards"]:
        if standard not in STANDARDS_BY_ID:
            _fail(where, f"{role}: no facility standard {standard!r}")


def _target(raw: Any, where: str, index: int) -> Target:
    where = f"{where} target {index + 1}"
    if not isinstance(raw, dict):
        _fail(where, "must be a mapping")
    value, parameter = raw.get("value"), ""
    if isinstance(value, dict):
        parameter = str(value.get("parameter", ""))
        if not parameter:
            _fail(where, "value is a number or {parameter: name}")
        value = None
    elif isinstance(value, int | float):
        value = Decimal(str(value))
    else:
        _fail(where, "value is a number or {parameter: name}")
    direction = raw.get("direction")
    if direction not in (AT_LEAST, AT_MOST):
        _fail(where, f"direction must be {AT_LEAST} or {AT_MOST}")
    by = _date(raw["by"], where, "by") if "by" in raw else None
    start = _date(raw["from"], where, "from") if "from" in raw else None
    if (by is None) == (start is None):
        _fail(where, "give either by (a deadline) or from (a standing standard)")
    path = raw.get("path", "")
    if by is not None and path not in (LINEAR, STEP):
        _fail(where, f"a deadline needs path: {LINEAR} or {STEP}")
    status = raw.get("status")
    if status not in TARGET_STATUSES:
        _fail(where, f"status must be one of {', '.join(TARGET_STATUSES)}")
    if not raw.get("reference"):
        _fail(where, "a target without a reference is a defect")
    return Target(
        value=value,
        parameter=parameter,
        direction=direction,
        by=by,
        start=start,
        path=path,
        status=status,
        reference=str(raw["reference"]),
    )


def _indicator(
    raw: dict, domain: str, where: str, clauses: set[str], programmes: set[str]
) -> Indicator:
    code = raw.get("code")
    if not code:
        _fail(where, "an indicator needs a code")
    where = f"{where} [{code}]"
    clause = str(raw.get("clause", ""))
    if clause not in clauses:
        _fail(where, f"clause {clause!r} is not in catalogue.yaml")
    if not (clause == domain or clause.startswith(domain + ".")):
        _fail(where, f"clause {clause} is not in domain {domain}")
    owner = raw.get("owner")
    if owner not in Department.values:
        _fail(where, f"owner {owner!r} is not a lead department")
    levels = tuple(raw.get("levels", (CITY, TOWN)))
    disaggregations = tuple(raw.get("disaggregations", ()))
    numerator = _term(raw.get("numerator"), where, NUMERATOR)
    denominator = (
        _term(raw["denominator"], where, DENOMINATOR) if "denominator" in raw else None
    )
    for level in levels:
        if level not in LEVELS:
            _fail(where, f"level {level!r} is not one of {', '.join(LEVELS)}")
    for role, term in ((NUMERATOR, numerator), (DENOMINATOR, denominator)):
        if term is None:
            continue
        kind = SOURCES[term.source]
        for level in levels:
            if level not in kind.levels:
                _fail(where, f"{role} ({term.source}) cannot be counted by {level}")
        for dimension in disaggregations:
            if dimension not in term.dimensions:
                _fail(where, f"{role} ({term.source}) cannot be split by {dimension}")
    # A programme counted from cases is one of the plan's (programmes.yaml).
    for term in (raw, numerator.options, denominator.options if denominator else {}):
        name = term.get("programme")
        if name is not None and name not in programmes:
            _fail(where, f"programme {name!r} is not a case programme of the plan")
    targets = tuple(
        _target(item, where, index) for index, item in enumerate(raw.get("targets", []))
    )
    return Indicator(
        code=str(code),
        clause=clause,
        domain=domain,
        owner=owner,
        label=_labels(raw.get("label"), where, "label"),
        definition=_labels(raw.get("definition"), where, "definition"),
        unit=str(raw.get("unit", "")),
        factor=float(raw.get("factor", 1)),
        decimals=int(raw.get("decimals", 1)),
        levels=levels,
        disaggregations=disaggregations,
        numerator=numerator,
        denominator=denominator,
        targets=targets,
        programme=str(raw.get("programme", "")),
        file=where.split(" ", 1)[0],
    )


def _settings(path: Path) -> dict[str, Setting]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = {}
    for name, item in raw.items():
        where = f"{path.name} [{name}]"
        for key in ("value", "unit", "clause", "status", "owner", "reference"):
            if key not in item:
                _fail(where, f"a setting needs {key}")
        found[name] = Setting(
            name=name,
            value=item["value"],
            unit=str(item["unit"]),
            clause=str(item["clause"]),
            status=str(item["status"]),
            owner=str(item["owner"]),
            reference=str(item["reference"]),
            label=_labels(item.get("label"), where, "label"),
        )
    for name in ("status_tolerance", "report_deadline_days", "age_bands"):
        if name not in found:
            _fail(path.name, f"setting {name} is missing")
    return found


def _catalogue_clauses(plan_dir: Path) -> set[str]:
    from equiserve.portal.catalogue import load_catalogue

    catalogue = load_catalogue(plan_dir)
    return {item.clause for item in catalogue.items()} | {
        item.clause for item in catalogue.safeguards
    }


@cache
def _load(plan_dir: Path) -> Definitions:
    folder = plan_dir / "indicators"
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: the plan has no indicators folder")
    from equiserve.rules import plan_gateway

    clauses = _catalogue_clauses(plan_dir)
    programmes = {
        code
        for code, programme in plan_gateway.plan(plan_dir).programmes.items()
        if programme.casework is not None
    }
    indicators: list[Indicator] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "settings.yaml":
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        domain = str(raw.get("domain", ""))
        for item in raw.get("indicators", []):
            indicators.append(_indicator(item, domain, path.name, clauses, programmes))
    codes = [indicator.code for indicator in indicators]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DefinitionError(f"indicator codes used twice: {', '.join(duplicates)}")
    return Definitions(
        indicators=tuple(indicators), settings=_settings(folder / "settings.yaml")
    )


def load_definitions(plan_dir: Path | str | None = None) -> Definitions:
    """Return the plan's indicators and monitoring settings, read once per process."""
    path = Path(plan_dir or settings.EQUISERVE_PLAN_DIR).resolve()
    return _load(path)
