"""The programmes a case can be about, as the plan states them (issue 11).

Every programme fact (clause, lead department, deciding outputs, facts stated,
documents, items and limits, what an approval grants) is in the plan's
``programmes.yaml``, read and checked by the policy engine; this module adapts the
programmes with a ``casework`` section to the names casework uses, and states none.
A programme added to the plan can be applied for without a code change.

Amounts: the veterans' grant comes from the engine (3.4.3 states the formula).
The plan states no amount for hardship relief (3.4.1) or the preschool subsidy
(3.1.1): the deciding officer sets it on approval.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from equiserve.policy import programmes as plan_programmes
from equiserve.policy.programmes import Document, Item, lang_key

__all__ = [
    "PROGRAMMES",
    "Document",
    "Item",
    "Programme",
    "health_facts",
    "lang_key",
    "programme",
    "programme_choices",
    "programmes_of_department",
]


class Programme:
    """A plan programme seen by casework (wraps policy.programmes.Programme)."""

    def __init__(self, source: plan_programmes.Programme):
        assert source.casework is not None
        self.source = source
        self.code = source.code
        self.clause = source.clause
        self.department = source.lead  # the lead department decides its cases
        self.label = source.label
        self.eligibility = source.eligible
        self.outputs = source.outputs
        self.facts = source.casework.facts
        self.documents = source.casework.documents
        self.amount_output = source.amount
        self.officer_sets_amount = source.casework.officer_sets_amount
        self.items = source.items
        self.items_output = source.items_output
        self.health = source.casework.health
        self.grants = source.casework.grants
        self.payees = source.casework.payees

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]

    def grants_in(self, lang: str) -> str:
        return self.grants[lang_key(lang)]

    @property
    def pays_money(self) -> bool:
        return self.amount_output is not None or self.officer_sets_amount

    def item(self, code: str) -> Item | None:
        return self.source.item(code)

    def in_order(self, granted: dict) -> list[tuple[str, int | None]]:
        """Return granted {code: limit} as pairs in the programme's order of items.

        A JSON object read back from PostgreSQL (jsonb) has lost its key order.
        """
        order = {item.code: index for index, item in enumerate(self.items)}
        return sorted(granted.items(), key=lambda pair: order.get(pair[0], len(order)))


_adapted: tuple[object, dict[str, Programme]] | None = None


def _current() -> dict[str, Programme]:
    """Return the site plan's case programmes, adapted once per loaded plan."""
    global _adapted
    from equiserve.rules import plan_gateway

    plan = plan_gateway.plan()
    if _adapted is None or _adapted[0] is not plan:
        _adapted = (
            plan,
            {
                code: Programme(source)
                for code, source in plan.programmes.items()
                if source.casework is not None
            },
        )
    return _adapted[1]


class _Programmes(Mapping[str, Programme]):
    """{code: Programme} read from the plan on each use (it may have been edited)."""

    def __getitem__(self, code: str) -> Programme:
        return _current()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(_current())

    def __len__(self) -> int:
        return len(_current())

    def __repr__(self) -> str:
        return f"PROGRAMMES({list(self)})"


PROGRAMMES: Mapping[str, Programme] = _Programmes()


def health_facts() -> frozenset[str]:
    """Return the facts that are health details (shown to health officers only, issue 4)."""
    return frozenset(fact for p in PROGRAMMES.values() if p.health for fact in p.facts)


def programme(code: str) -> Programme:
    """Return the programme `code`; raise KeyError for an unknown one."""
    return PROGRAMMES[code]


def programmes_of_department(department: str) -> list[str]:
    """Return the codes of the programmes `department` leads (and decides)."""
    return [p.code for p in PROGRAMMES.values() if p.department == department]


def programme_choices(lang: str) -> list[tuple[str, str]]:
    """Return (code, "clause label") pairs in the plan's order of clauses."""
    return [
        (p.code, f"{p.clause} {p.label_in(lang)}")
        for p in sorted(PROGRAMMES.values(), key=lambda p: _clause_key(p.clause))
    ]


def _clause_key(clause: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause.split("."))
