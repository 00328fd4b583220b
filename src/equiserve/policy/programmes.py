"""Read and check the plan's programmes (``programmes.yaml``): each service once.

A programme ties the plan's clause and departments to the engine outputs that decide
it, the items it delivers, its clause 4.3 costs and its labels. Casework, the public
screener, the budget and monitoring read ``Plan.programmes``; no programme fact is
stated in Python (issue 11). The file's format is described in its header.

Checked at load: every clause is in catalogue.yaml, every department in messages.yaml,
every output an output of the programme's entity, every parameter a plan parameter;
a defect raises PlanLoadError naming the file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from equiserve.policy.compiler import PlanLoadError
from equiserve.policy.yamlio import Node, YamlError, read_yaml

ENTITIES = ("person", "household")
BASES = ("annual", "event")
SUBJECTS = ("me", "child", "deceased", "household")
FUNDING_SOURCES = ("city", "town")
STATUSES = ("plan", "statistic", "illustrative")


def lang_key(lang: str | None) -> str:
    """Return "en" for an English language code, else "zh" (Chinese first)."""
    return "en" if (lang or "").lower().startswith("en") else "zh"


@dataclass(frozen=True)
class Item:
    """A service the programme delivers, item by item."""

    code: str
    label: Mapping[str, str]
    unit: Mapping[str, str]
    # The most units free of charge: a number, None for an ongoing service without
    # a limit, or read from an engine output (limit None, limit_output set).
    limit: int | None = 1
    limit_output: str | None = None

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]

    def unit_in(self, lang: str) -> str:
        return self.unit[lang_key(lang)]


@dataclass(frozen=True)
class Document:
    code: str
    label: Mapping[str, str]

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]


@dataclass(frozen=True)
class Funding:
    """Who pays a programme (clause 4.3), with the status of that statement."""

    sources: tuple[str, ...]
    status: str
    reference: str
    owner: str | None = None


@dataclass(frozen=True)
class Budget:
    """How clause 4.3 costs one eligible unit; unit costs are parameter names."""

    basis: str  # annual | event
    funding: Funding
    unit_cost: str | None = None
    per: tuple[tuple[str, str], ...] = ()  # (count output, parameter per unit)
    take_up: str | None = None
    quota: str | None = None
    # An event programme's day: an input column, or the birthday reaching the
    # age held in a parameter.
    event_column: str | None = None
    event_birthday_at_age: str | None = None

    def parameter_names(self) -> list[str]:
        names = [self.unit_cost, *(name for _, name in self.per), self.take_up]
        return [name for name in names if name]


@dataclass(frozen=True)
class Casework:
    """What an application under the programme states, asks for and grants."""

    facts: tuple[str, ...]
    documents: tuple[Document, ...]
    grants: Mapping[str, str]
    officer_sets_amount: bool = False
    health: bool = False  # facts and explanation are health details
    # Whom a payment may go to, when not always the applicant: "employer" and/or
    # "person"; each payment then names its payee (issue 15: 社区就业补贴).
    payees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    """How a resident applies: where, within what time, whom to call (issue 14).

    The plan states none of it: each value is the lead department's to set, so a
    guide carries its status (`illustrative` until the department confirms) and owner.
    """

    where: Mapping[str, str]
    time_limit: Mapping[str, str]
    phone: str
    status: str
    owner: str

    def where_in(self, lang: str) -> str:
        return self.where[lang_key(lang)]

    def time_limit_in(self, lang: str) -> str:
        return self.time_limit[lang_key(lang)]


@dataclass(frozen=True)
class Programme:
    code: str
    clause: str
    lead: str
    assisting: tuple[str, ...]
    towns_assist: bool
    label: Mapping[str, str]
    entity: str
    eligible: str
    amount: str | None
    outputs: tuple[str, ...]  # every output shown and frozen, `eligible` first
    items: tuple[Item, ...]
    items_output: str | None
    screen: tuple[str, ...]
    budget: Budget | None
    casework: Casework | None
    where: str = field(default="", compare=False)  # file:line, for messages
    guide: Guide | None = field(default=None, compare=False)

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)


_PROGRAMME_KEYS = {
    "code": True,
    "clause": True,
    "lead": True,
    "assisting": True,
    "towns": True,
    "label": False,
    "entity": True,
    "eligible": True,
    "amount": False,
    "outputs": False,
    "items": False,
    "items_output": False,
    "screen": True,
    "budget": False,
    "casework": False,
}
_TOP_KEYS = {"documents", "application_facts", "programmes", "guides"}
_GUIDE_KEYS = {"where", "time_limit", "phone", "status", "owner"}
_BUDGET_KEYS = {"basis", "event", "unit_cost", "per", "take_up", "quota", "funding"}
_CASEWORK_KEYS = {
    "facts",
    "documents",
    "grants",
    "officer_sets_amount",
    "health",
    "payees",
}
PAYEES = ("employer", "person")


@dataclass(frozen=True)
class Known:
    """The names of the rest of the plan a programme may cite."""

    catalogue_titles: Mapping[str, Mapping[str, str]] | None  # None: no catalogue
    departments: set[str]
    outputs: Mapping[str, set[str]]  # by entity
    parameters: set[str]
    columns: Mapping[str, set[str]]  # inputs by entity


class _Reader:
    """Turn the Node tree into programmes, failing with file:line on each defect."""

    def __init__(self, path: Path, known: Known):
        self.path = path
        self.titles = known.catalogue_titles
        self.departments = known.departments
        self.outputs = known.outputs
        self.parameters = known.parameters
        self.columns = known.columns
        self.application_facts: set[str] = set()

    def fail(self, node: Node, message: str) -> PlanLoadError:
        return PlanLoadError(f"{self.path}:{node.where}", message)

    def mapping(self, node: Node, what: str) -> dict[str, Node]:
        if not isinstance(node.value, dict):
            raise self.fail(node, f"{what} must be a mapping")
        return node.value

    def keys(self, node: Node, allowed, required, what: str) -> dict[str, Node]:
        data = self.mapping(node, what)
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise self.fail(data[unknown[0]], f"unknown key {unknown[0]!r} in {what}")
        for key in required:
            if key not in data:
                raise self.fail(node, f"{what} needs {key!r}")
        return data

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node.value, str) or not node.value:
            raise self.fail(node, f"{what} must be text")
        return node.value

    def texts(self, node: Node | None, what: str) -> list[tuple[str, Node]]:
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            raise self.fail(node, f"{what} must be a list")
        return [(self.text(child, what), child) for child in node.value]

    def label(self, node: Node, what: str) -> dict[str, str]:
        data = self.keys(node, ("zh", "en"), ("zh", "en"), what)
        return {lang: self.text(data[lang], what) for lang in ("zh", "en")}

    def flag(self, node: Node | None, what: str) -> bool:
        if node is None:
            return False
        if not isinstance(node.value, bool):
            raise self.fail(node, f"{what} must be true or false")
        return node.value

    def department(self, node: Node) -> str:
        name = self.text(node, "a department")
        if name not in self.departments:
            raise self.fail(node, f"unknown department {name!r}")
        return name

    def output(self, node: Node, entity: str) -> str:
        name = self.text(node, "an output")
        if name not in self.outputs[entity]:
            raise self.fail(node, f"unknown {entity} output {name!r}")
        return name

    def parameter(self, node: Node) -> str:
        name = self.text(node, "a parameter")
        if name not in self.parameters:
            raise self.fail(node, f"unknown parameter {name!r}")
        return name

    def programmes(self, root: Node) -> dict[str, Programme]:
        data = self.mapping(root, "programmes.yaml")
        for key, child in data.items():
            if key not in _TOP_KEYS and not key.startswith("_"):
                raise self.fail(child, f"unknown key {key!r}")
        documents = {
            code: Document(code, self.label(node, f"document {code}"))
            for code, node in self.mapping(
                data.get("documents") or Node({}, root.line), "documents"
            ).items()
        }
        self.application_facts = {
            name for name, _ in self.texts(data.get("application_facts"), "facts")
        }
        listed = data.get("programmes")
        if listed is None or not isinstance(listed.value, list):
            raise self.fail(listed or root, "programmes must be a list")
        found: dict[str, Programme] = {}
        for node in listed.value:
            programme = self.programme(node, documents)
            if programme.code in found:
                raise self.fail(node, f"programme {programme.code!r} is listed twice")
            found[programme.code] = programme
        guides = data.get("guides") or Node({}, root.line)
        for code, node in self.mapping(guides, "guides").items():
            if code not in found:
                raise self.fail(node, f"guide for unknown programme {code!r}")
            found[code] = replace(found[code], guide=self.guide(node))
        return found

    def guide(self, node: Node) -> Guide:
        data = self.keys(node, _GUIDE_KEYS, sorted(_GUIDE_KEYS), "a guide")
        status = self.text(data["status"], "status")
        if status not in STATUSES:
            raise self.fail(data["status"], f"status is one of {', '.join(STATUSES)}")
        return Guide(
            where=self.label(data["where"], "where"),
            time_limit=self.label(data["time_limit"], "time_limit"),
            phone=str(data["phone"].value),
            status=status,
            owner=self.department(data["owner"]),
        )

    def programme(self, node: Node, documents: Mapping[str, Document]) -> Programme:
        required = [key for key, needed in _PROGRAMME_KEYS.items() if needed]
        data = self.keys(node, _PROGRAMME_KEYS, required, "a programme")
        code = self.text(data["code"], "code")
        clause = str(data["clause"].value)
        if self.titles is not None and clause not in self.titles:
            raise self.fail(
                data["clause"], f"clause {clause!r} is not in catalogue.yaml"
            )
        entity = self.text(data["entity"], "entity")
        if entity not in ENTITIES:
            raise self.fail(data["entity"], f"entity is one of {', '.join(ENTITIES)}")
        if "label" in data:
            label = self.label(data["label"], "label")
        elif self.titles is not None:
            label = dict(self.titles[clause])
        else:
            raise self.fail(node, "a programme needs a label without catalogue.yaml")
        eligible = self.output(data["eligible"], entity)
        amount = self.output(data["amount"], entity) if "amount" in data else None
        items = tuple(self.item(child, entity) for child in self.list(data, "items"))
        items_output = (
            self.output(data["items_output"], entity)
            if "items_output" in data
            else None
        )
        extra = [
            self.output(child, entity)
            for _, child in self.texts(data.get("outputs"), "outputs")
        ]
        outputs = [eligible, amount, *extra]
        outputs += [item.limit_output for item in items]
        outputs.append(items_output)
        screen = []
        for name, child in self.texts(data["screen"], "screen"):
            if name not in SUBJECTS:
                raise self.fail(
                    child, f"screen lists {', '.join(SUBJECTS)}, not {name!r}"
                )
            screen.append(name)
        return Programme(
            code=code,
            clause=clause,
            lead=self.department(data["lead"]),
            assisting=tuple(
                self.department(child)
                for _, child in self.texts(data["assisting"], "assisting")
            ),
            towns_assist=self.flag(data["towns"], "towns"),
            label=label,
            entity=entity,
            eligible=eligible,
            amount=amount,
            outputs=tuple(dict.fromkeys(name for name in outputs if name)),
            items=items,
            items_output=items_output,
            screen=tuple(screen),
            budget=self.budget(data["budget"], entity) if "budget" in data else None,
            casework=(
                self.casework(data["casework"], entity, documents)
                if "casework" in data
                else None
            ),
            where=f"{self.path}:{node.where}",
        )

    def list(self, data: dict[str, Node], key: str) -> list[Node]:
        node = data.get(key)
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            raise self.fail(node, f"{key} must be a list")
        return node.value

    def item(self, node: Node, entity: str) -> Item:
        data = self.keys(
            node,
            ("code", "label", "unit", "limit"),
            ("code", "label", "unit", "limit"),
            "an item",
        )
        limit_node = data["limit"]
        limit: int | None = None
        limit_output = None
        if isinstance(limit_node.value, dict):
            inner = self.keys(limit_node, ("output",), ("output",), "limit")
            limit_output = self.output(inner["output"], entity)
        elif limit_node.value == "none":
            limit = None
        elif (
            isinstance(limit_node.value, int)
            and not isinstance(limit_node.value, bool)
            and limit_node.value > 0
        ):
            limit = limit_node.value
        else:
            raise self.fail(
                limit_node, "limit is a whole number, none or {output: name}"
            )
        return Item(
            code=self.text(data["code"], "item code"),
            label=self.label(data["label"], "item label"),
            unit=self.label(data["unit"], "item unit"),
            limit=limit,
            limit_output=limit_output,
        )

    def budget(self, node: Node, entity: str) -> Budget:
        data = self.keys(node, _BUDGET_KEYS, ("basis", "funding"), "budget")
        basis = self.text(data["basis"], "basis")
        if basis not in BASES:
            raise self.fail(data["basis"], f"basis is one of {', '.join(BASES)}")
        event_column = event_age = None
        if basis == "event":
            if "event" not in data:
                raise self.fail(node, "an event programme needs `event`")
            event = self.keys(data["event"], ("column", "birthday_at_age"), (), "event")
            if len(event) != 1:
                raise self.fail(
                    data["event"], "event is {column: …} or {birthday_at_age: …}"
                )
            if "column" in event:
                event_column = self.text(event["column"], "column")
                if event_column not in self.columns[entity]:
                    raise self.fail(
                        event["column"], f"unknown {entity} input {event_column!r}"
                    )
            else:
                event_age = self.parameter(event["birthday_at_age"])
        elif "event" in data:
            raise self.fail(data["event"], "only an event programme has `event`")
        per = []
        for child in self.list(data, "per"):
            pair = self.keys(child, ("count", "cost"), ("count", "cost"), "per")
            per.append(
                (self.output(pair["count"], entity), self.parameter(pair["cost"]))
            )
        return Budget(
            basis=basis,
            funding=self.funding(data["funding"]),
            unit_cost=self.parameter(data["unit_cost"])
            if "unit_cost" in data
            else None,
            per=tuple(per),
            take_up=self.parameter(data["take_up"]) if "take_up" in data else None,
            quota=self.parameter(data["quota"]) if "quota" in data else None,
            event_column=event_column,
            event_birthday_at_age=event_age,
        )

    def funding(self, node: Node) -> Funding:
        data = self.keys(
            node,
            ("source", "status", "owner", "reference"),
            ("source", "status", "reference"),
            "funding",
        )
        sources = []
        for name, child in self.texts(data["source"], "source"):
            if name not in FUNDING_SOURCES:
                raise self.fail(
                    child, f"source is {' or '.join(FUNDING_SOURCES)}, not {name!r}"
                )
            sources.append(name)
        if not sources:
            raise self.fail(data["source"], "funding needs a source")
        status = self.text(data["status"], "status")
        if status not in STATUSES:
            raise self.fail(data["status"], f"status is one of {', '.join(STATUSES)}")
        owner = self.department(data["owner"]) if "owner" in data else None
        if status == "illustrative" and owner is None:
            raise self.fail(node, "an illustrative funding source needs its owner")
        return Funding(
            sources=tuple(sources),
            status=status,
            reference=self.text(data["reference"], "reference"),
            owner=owner,
        )

    def casework(
        self, node: Node, entity: str, documents: Mapping[str, Document]
    ) -> Casework:
        data = self.keys(
            node, _CASEWORK_KEYS, ("facts", "documents", "grants"), "casework"
        )
        if entity != "person":
            raise self.fail(node, "casework is for person programmes")
        facts = []
        for name, child in self.texts(data["facts"], "facts"):
            if name not in self.columns[entity] | self.application_facts:
                raise self.fail(child, f"unknown {entity} input {name!r}")
            facts.append(name)
        listed = []
        for name, child in self.texts(data["documents"], "documents"):
            if name not in documents:
                raise self.fail(child, f"unknown document {name!r}")
            listed.append(documents[name])
        return Casework(
            facts=tuple(facts),
            documents=tuple(listed),
            grants=self.label(data["grants"], "grants"),
            officer_sets_amount=self.flag(
                data.get("officer_sets_amount"), "officer_sets_amount"
            ),
            health=self.flag(data.get("health"), "health"),
            payees=self.payees(data.get("payees")),
        )

    def payees(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        payees = []
        for name, child in self.texts(node, "payees"):
            if name not in PAYEES or name in payees:
                raise self.fail(child, f"a payee is one of {list(PAYEES)}, once")
            payees.append(name)
        return tuple(payees)


def load_programmes(path: Path, known: Known) -> dict[str, Programme]:
    """Read and check `path` (programmes.yaml); {} when the plan has none."""
    if not path.exists():
        return {}
    try:
        root = read_yaml(path)
    except YamlError as error:
        raise PlanLoadError(
            f"{error.path}:{error.line}" if error.line else str(error.path),
            error.message,
        ) from error
    if root is None:
        return {}
    return _Reader(path, known).programmes(root)


def catalogue_titles(catalogue: Mapping[str, Any] | None) -> dict[str, dict] | None:
    """Return {clause: title} for every item and safeguard of a parsed catalogue."""
    if catalogue is None:
        return None
    titles: dict[str, dict] = {}
    for domain in catalogue.get("domains", []) or []:
        for item in domain.get("items", []) or []:
            titles[str(item["clause"])] = item.get("title") or {}
    for item in catalogue.get("safeguards", []) or []:
        if isinstance(item, dict) and "clause" in item:
            titles[str(item["clause"])] = item.get("title") or {}
    return titles
