"""The plan's catalogue of domains and items, as the engine read it (issue 11)."""

from dataclasses import dataclass
from pathlib import Path

from equiserve.rules import plan_gateway


@dataclass(frozen=True)
class PlanItem:
    clause: str
    title: dict[str, str]
    lead: str
    summary: dict[str, str]


@dataclass(frozen=True)
class PlanDomain:
    id: str
    title: dict[str, str]
    items: tuple[PlanItem, ...]


@dataclass(frozen=True)
class Catalogue:
    title: dict[str, str]
    issued_on: str
    domains: tuple[PlanDomain, ...]
    safeguards: tuple[PlanItem, ...]

    def item(self, clause: str) -> PlanItem:
        for item in self.items():
            if item.clause == clause:
                return item
        raise KeyError(clause)

    def items(self) -> list[PlanItem]:
        return [item for domain in self.domains for item in domain.items]


def _item(raw: dict) -> PlanItem:
    return PlanItem(
        clause=str(raw["clause"]),
        title=raw["title"],
        lead=raw.get("lead", ""),
        summary=raw["summary"],
    )


def load_catalogue(plan_dir: Path | None = None) -> Catalogue:
    """Return the catalogue of `plan_dir` (default: the site's plan)."""
    raw = plan_gateway.plan(plan_dir).catalogue
    return Catalogue(
        title=raw["plan"]["title"],
        issued_on=str(raw["plan"]["issued_on"]),
        domains=tuple(
            PlanDomain(
                id=str(domain["id"]),
                title=domain["title"],
                items=tuple(_item(item) for item in domain["items"]),
            )
            for domain in raw["domains"]
        ),
        safeguards=tuple(_item(item) for item in raw["safeguards"]),
    )
