"""The facts the rules read about persons and households, declared in `inputs.yaml`.

Each input has a JSON name (``veteran.kind``) and a column name
(``veteran_kind``: nested objects are flattened with ``_``), a type, and labels.
Types: ``str``, ``enum`` (with ``values``), ``town`` (a town code), ``ref`` (the
id of another row), ``date``, ``bool``, ``count`` (a whole number ≥ 0),
``number`` (≥ 0 when ``minimum: 0``; a multiple of ``step`` when given:
points are half-points), ``money`` (CNY; held as integer fen).

Frames reach the engine in either shape: flat columns (``veteran_kind``) or the
synthetic population's struct columns (``veteran`` with fields ``kind`` …).
`normalize` turns both into the flat, typed columns the formulas read.

Each nested object also gets a presence column, ``<object>_given`` (``death_given``):
true when the object was given, even with every field null. The evaluate contract
reads an absent object as "no such event" (false, 0) but a null field of a given
object as unknown (issue 12): the rules need both to tell them apart.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import polars as pl

from equiserve.policy.yamlio import Node, YamlError, read_yaml

INPUT_TYPES = ("str", "enum", "town", "ref", "date", "bool", "count", "number", "money")
_DTYPES = {
    "str": pl.String(),
    "enum": pl.String(),
    "town": pl.String(),
    "ref": pl.String(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
    "count": pl.Int64(),
    "number": pl.Float64(),
    "money": pl.Int64(),
}
TOWNS_CSV = Path(__file__).resolve().parents[1] / "reference" / "towns.csv"


@functools.cache
def town_codes() -> frozenset[str]:
    """Return the 24 nine-digit town codes (reference/towns.csv, column code_9)."""
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code_9"] for row in csv.DictReader(handle))


_FIELD_KEYS = {
    "type",
    "label",
    "values",
    "minimum",
    "required",
    "entity",
    "fields",
    "note",
    "ordered",
    "step",
}


@dataclass(frozen=True, eq=False)
class InputField:
    """One input of an entity."""

    entity: str
    path: tuple[str, ...]  # ("veteran", "kind")
    type: str
    label: dict[str, str]
    values: tuple[str, ...] = ()
    minimum: float | None = None
    # A number's exact grain (points: 0.5); values off it are refused, not rounded.
    step: Decimal | None = None
    required: bool = False
    ref_entity: str | None = None
    # An enum's vocabulary: each code's {"zh", "en"} label, and whether the codes
    # run from lowest to highest (hospital grades) so rules may compare them.
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    ordered: bool = False
    # Labels a code was once shown with, still read in imported files.
    former_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def value_label(self, code: str, lang: str) -> str:
        """Return the label of enum `code` in `lang` ("zh" or "en"); unknown codes as given."""
        labels = self.value_labels.get(code)
        return code if labels is None else labels[lang]

    def at_least(self, code: str) -> tuple[str, ...]:
        """Return the codes ranked `code` or higher (an ordered enum; none if unknown)."""
        if not self.ordered:
            raise TypeError(f"input {self.json_name} is not ordered")
        if code not in self.values:
            return ()
        return self.values[self.values.index(code) :]

    @functools.cached_property
    def column(self) -> str:
        return "_".join(self.path)

    @property
    def json_name(self) -> str:
        return ".".join(self.path)

    @functools.cached_property
    def dtype(self) -> pl.DataType:
        # Enums hold one byte a row where a string view holds sixteen: at city
        # scale that is hundreds of megabytes.
        if self.type == "enum":
            return pl.Enum(list(self.values))
        if self.type == "town":
            return pl.Enum(sorted(town_codes()))
        return _DTYPES[self.type]


@dataclass(frozen=True)
class ObjectField:
    """A nested object of inputs (``veteran``), flattened into columns."""

    entity: str
    name: str
    label: dict[str, str]
    fields: tuple[InputField, ...]

    @property
    def column(self) -> str:
        """Return the presence column: true where the object was given."""
        return f"{self.name}_given"


class InputSchema:
    """The inputs of persons and households, read from a plan's inputs.yaml."""

    def __init__(self, fields: list[InputField], objects: list[ObjectField]):
        self.fields = fields
        self.objects = objects
        self._of = {
            e: [f for f in fields if f.entity == e] for e in ("person", "household")
        }
        self._columns = {e: {f.column: f.dtype for f in self._of[e]} for e in self._of}
        for obj in objects:
            self._columns[obj.entity][obj.column] = pl.Boolean()

    def of(self, entity: str) -> list[InputField]:
        return self._of[entity]

    def objects_of(self, entity: str) -> list[ObjectField]:
        return [obj for obj in self.objects if obj.entity == entity]

    def field(self, entity: str, column: str) -> InputField | ObjectField | None:
        """Return the input (or the object, for a presence column) held in `column`."""
        for item in self._of[entity]:
            if item.column == column:
                return item
        for obj in self.objects_of(entity):
            if obj.column == column:
                return obj
        return None

    def enums(self) -> dict[str, InputField]:
        """Return every enum input (the vocabulary) by column name (``veteran_kind``)."""
        return {f.column: f for f in self.fields if f.type == "enum"}

    def columns(self, entity: str) -> dict[str, pl.DataType]:
        return dict(self._columns[entity])

    def top_level(self, entity: str) -> dict[str, InputField | ObjectField]:
        """Return the JSON top-level names of an entity: plain fields and objects."""
        result: dict[str, InputField | ObjectField] = {}
        for f in self.of(entity):
            if len(f.path) == 1:
                result[f.path[0]] = f
        for obj in self.objects:
            if obj.entity == entity:
                result[obj.name] = obj
        return result

    def empty_frame(self, entity: str) -> pl.LazyFrame:
        return pl.LazyFrame(schema=self.columns(entity))

    def normalize(
        self, frame: pl.DataFrame | pl.LazyFrame, entity: str
    ) -> pl.LazyFrame:
        """Return `frame` as flat, typed input columns (missing optional ones null).

        Struct columns (``veteran``) are unnested to ``veteran_kind`` …; money in
        CNY (float, decimal or integer yuan) becomes integer fen, rounded half
        away from zero; categorical and enum columns become strings. Columns the
        schema does not know are kept (they may be ids a caller wants back).
        """
        lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
        schema = lazy.collect_schema()
        expressions: list[pl.Expr] = []
        present = set(schema.names())
        for obj in self.objects:
            if obj.entity != entity or obj.name not in present:
                continue
            struct_type = schema[obj.name]
            if not isinstance(struct_type, pl.Struct):
                continue
            inner = {f.name for f in struct_type.fields}
            for item in obj.fields:
                if item.column in present:
                    continue
                key = item.path[-1]
                if key in inner:
                    expressions.append(
                        pl.col(obj.name).struct.field(key).alias(item.column)
                    )
                    present.add(item.column)
                    schema[item.column] = dict(
                        (f.name, f.dtype) for f in struct_type.fields
                    )[key]
        if expressions:
            lazy = lazy.with_columns(expressions)
        casts: list[pl.Expr] = []
        for obj in self.objects_of(entity):
            casts.append(_presence(obj, schema, present).alias(obj.column))
        for item in self.of(entity):
            name = item.column
            if name not in present:
                casts.append(pl.lit(None, dtype=item.dtype).alias(name))
                continue
            source = schema[name]
            casts.append(_cast(pl.col(name), source, item).alias(name))
        return lazy.with_columns(casts)


def _presence(obj: ObjectField, schema: pl.Schema, present: set[str]) -> pl.Expr:
    """Return whether `obj` was given: its struct is not null, else any field is given.

    An explicit ``<object>_given`` column wins where it is not null (the contract
    sets it for an object given with no fields).
    """
    fields = [pl.col(f.column).is_not_null() for f in obj.fields if f.column in present]
    if obj.name in present and isinstance(schema[obj.name], pl.Struct):
        derived = pl.col(obj.name).is_not_null()
    elif fields:
        derived = pl.any_horizontal(fields)
    else:
        derived = pl.lit(False)
    if obj.column in present:
        return pl.col(obj.column).cast(pl.Boolean, strict=False).fill_null(derived)
    return derived


def _cast(column: pl.Expr, source: pl.DataType, item: InputField) -> pl.Expr:
    target = item.dtype
    if item.type == "money":
        if source.is_integer():
            return column.cast(pl.Int64) * 100
        if source.is_float():
            return (column * 100).round(0).cast(pl.Int64)
        if isinstance(source, pl.Decimal):
            return (column.cast(pl.Float64) * 100).round(0).cast(pl.Int64)
        return column.cast(pl.Float64).mul(100).round(0).cast(pl.Int64)
    if target == pl.Date() and source == pl.String():
        return column.str.to_date("%Y-%m-%d", strict=False)
    if source == target:
        return column
    return column.cast(target, strict=False)


def _label(node: Node, path: Path) -> dict[str, str]:
    if not isinstance(node.value, dict) or set(node.value) != {"zh", "en"}:
        raise YamlError(path, node.where, "label needs exactly zh and en texts")
    texts = {lang: child.value for lang, child in node.value.items()}
    if not all(isinstance(text, str) and text.strip() for text in texts.values()):
        raise YamlError(path, node.where, "label needs non-empty zh and en texts")
    return texts


def _value_label(node: Node, path: Path) -> tuple[dict[str, str], tuple[str, ...]]:
    """Return an enum code's {zh, en} label and the labels it was formerly shown with."""
    if isinstance(node.value, dict) and "formerly" in node.value:
        former = node.value["formerly"]
        if not isinstance(former.value, list) or not all(
            isinstance(item.value, str) and item.value.strip() for item in former.value
        ):
            raise YamlError(path, former.where, "formerly lists the old labels")
        rest = Node({k: v for k, v in node.value.items() if k != "formerly"}, node.line)
        return _label(rest, path), tuple(item.value for item in former.value)
    return _label(node, path), ()


def _field(
    entity: str, prefix: tuple[str, ...], name: str, node: Node, path: Path
) -> InputField:
    if not isinstance(node.value, dict):
        raise YamlError(path, node.where, f"input {name} must be a mapping")
    for key, child in node.value.items():
        if key not in _FIELD_KEYS:
            raise YamlError(path, child.where, f"unknown key {key!r} in input {name}")
    kind = node.value.get("type")
    if kind is None or kind.value not in INPUT_TYPES:
        raise YamlError(
            path,
            node.where,
            f"input {name}: type must be one of {', '.join(INPUT_TYPES)}",
        )
    if "label" not in node.value:
        raise YamlError(path, node.where, f"input {name} has no label")
    values: tuple[str, ...] = ()
    value_labels: dict[str, dict[str, str]] = {}
    former_labels: dict[str, tuple[str, ...]] = {}
    if kind.value == "enum":
        raw = node.value.get("values")
        if raw is None or not isinstance(raw.value, dict) or not raw.value:
            raise YamlError(
                path,
                node.where,
                f"enum input {name} needs values: each code with its zh and en label",
            )
        for code, label in raw.value.items():
            value_labels[str(code)], former_labels[str(code)] = _value_label(
                label, path
            )
        values = tuple(value_labels)
        readings: dict[str, str] = {}
        for code in values:
            texts = (code, *value_labels[code].values(), *former_labels[code])
            for text in {text.strip().lower() for text in texts}:
                if readings.setdefault(text, code) != code:
                    raise YamlError(
                        path,
                        raw.where,
                        f"enum input {name}: {text!r} would read as both "
                        f"{readings[text]} and {code}",
                    )
    ordered = node.value.get("ordered")
    if ordered is not None and (kind.value != "enum" or ordered.value is not True):
        raise YamlError(
            path, ordered.where, f"input {name}: ordered: true is for enums"
        )
    minimum = node.value.get("minimum")
    step = _step(node.value.get("step"), kind.value, name, path)
    ref = node.value.get("entity")
    return InputField(
        entity=entity,
        path=(*prefix, name),
        type=kind.value,
        label=_label(node.value["label"], path),
        values=values,
        minimum=float(minimum.value) if minimum is not None else None,
        step=step,
        required=bool(node.value["required"].value)
        if "required" in node.value
        else False,
        ref_entity=ref.value if ref is not None else None,
        value_labels=value_labels,
        ordered=ordered is not None,
        former_labels={code: old for code, old in former_labels.items() if old},
    )


def _step(node: Node | None, kind: str, name: str, path: Path) -> Decimal | None:
    """Return a number input's step (``step: 0.5``) as an exact decimal."""
    if node is None:
        return None
    try:
        step = Decimal(str(node.value))
    except InvalidOperation:
        step = None
    if kind != "number" or step is None or not step.is_finite() or step <= 0:
        raise YamlError(
            path, node.where, f"input {name}: step is a positive number, for numbers"
        )
    return step


def load_inputs(path: Path) -> InputSchema:
    """Read `inputs.yaml`: ``person:`` and ``household:`` mappings of inputs."""
    root = read_yaml(path)
    if root is None or not isinstance(root.value, dict):
        raise YamlError(path, None, "expected person: and household: mappings")
    fields: list[InputField] = []
    objects: list[ObjectField] = []
    for entity, entity_node in root.value.items():
        if entity not in ("person", "household"):
            raise YamlError(path, entity_node.where, f"unknown entity {entity!r}")
        if not isinstance(entity_node.value, dict):
            raise YamlError(path, entity_node.where, f"{entity} must be a mapping")
        for name, node in entity_node.value.items():
            spec: dict[str, Any] = node.value if isinstance(node.value, dict) else {}
            if "type" in spec and spec["type"].value == "object":
                if "fields" not in spec or "label" not in spec:
                    raise YamlError(
                        path, node.where, f"object input {name} needs label and fields"
                    )
                inner = [
                    _field(entity, (name,), child_name, child, path)
                    for child_name, child in spec["fields"].value.items()
                ]
                fields.extend(inner)
                objects.append(
                    ObjectField(entity, name, _label(spec["label"], path), tuple(inner))
                )
            else:
                fields.append(_field(entity, (), name, node, path))
    for entity in ("person", "household"):
        if not any(f.entity == entity and f.column == "id" for f in fields):
            raise YamlError(path, None, f"{entity} has no id input")
    return InputSchema(fields, objects)
