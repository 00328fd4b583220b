"""Screen a resident: turn the answers into an evaluate request and explain the answer.

The request is the evaluate contract's (shared spec evaluate.md): the resident is
``me``, a child ``child`` (with ``me`` as guardian when the resident says so), a
deceased relative ``deceased``, and the household ``home``. The engine's
explanations are shown as they are, in the resident's language. Nothing is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from equiserve.formatting import money
from equiserve.policy.contract import ContractError, evaluate_request, fact_label
from equiserve.policy.messages import departments
from equiserve.policy.programmes import Programme
from equiserve.rules import plan_gateway
from equiserve.rules.forms import MIGRANT, ScreenerForm

ME, CHILD, DECEASED, HOME = "me", "child", "deceased", "home"


@dataclass
class Service:
    """One programme for one subject: eligible, not eligible or undetermined, and why."""

    name: str
    clause: str
    label: str
    eligible: bool
    text: str
    steps: list[str]
    details: list[str] = field(default_factory=list)
    # Undetermined (issue 12): the facts, in words, the answer still needs.
    needed: list[str] = field(default_factory=list)
    # Where and how to apply (issue 14, deliverable 8); None if the plan has none.
    guide: dict[str, Any] | None = None


@dataclass
class Subject:
    """The services screened for one person or the household."""

    key: str
    title: str
    eligible: list[Service] = field(default_factory=list)
    undetermined: list[Service] = field(default_factory=list)
    other: list[Service] = field(default_factory=list)


@dataclass
class Screening:
    date: str
    subjects: list[Subject]


# Thousands separators a resident may type: "45,000", "45，000", "45 000".
_GROUPED = re.compile(r"^\d{1,3}(?:([,，\u00a0\u202f ])\d{3})(?:\1\d{3})*(?:\.\d+)?$")


def _number(text: str) -> Any:
    """Return `text` as a number for the contract, or as typed if it is not one."""
    if _GROUPED.match(text):
        text = re.sub(r"[,，\u00a0\u202f ]", "", text)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text  # the contract says "expected a number"
    if not value.is_finite():
        return text
    return int(value) if value == value.to_integral_value() else value


class _Builder:
    """Collect request fields and remember which question each path came from."""

    def __init__(self, form: ScreenerForm):
        self.data = form.cleaned_data
        self.paths: dict[str, str] = {}

    def put(self, record: dict, path: str, key: str, name: str, kind: str = "text"):
        # Asked, even if left empty: a fact the resident can still give (issue 12).
        self.paths.setdefault(f"{path}.{key}", name)
        value = self.data.get(name)
        if kind == "bool":
            record[key] = bool(value)
            return
        value = (value or "").strip()
        if not value:
            return
        record[key] = _number(value) if kind == "number" else value


def build_request(form: ScreenerForm) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the evaluate request for a valid form, and {error path: question}."""
    build = _Builder(form)
    shown = form.sections()
    body: dict[str, Any] = {"persons": [], "households": []}
    if date := build.data.get("date", "").strip():
        body["date"] = date
        build.paths["date"] = "date"
    town = build.data.get("town", "").strip()

    me: dict[str, Any] = {"id": ME, "household": HOME}
    path = "persons[0]"
    for key in ("birth_date", "sex", "hukou", "town"):
        build.put(me, path, key, key)
    build.put(me, path, "low_income", "low_income", "bool")
    if "registered" in shown:
        build.put(me, path, "hukou_kind", "hukou_kind")
        build.put(me, path, "one_child_parent", "one_child_parent", "bool")
    if "migrant" in shown:
        build.put(me, path, "resident_since", "resident_since")
        build.put(me, path, "points", "points", "number")
    if "veteran" in shown:
        me["veteran"] = {}
        build.put(me["veteran"], f"{path}.veteran", "kind", "veteran_kind")
        build.put(me["veteran"], f"{path}.veteran", "discharged", "veteran_discharged")
        build.put(
            me["veteran"], f"{path}.veteran", "nco_years", "veteran_nco_years", "number"
        )
    if "hardship" in shown:
        me["hardship"] = {}
        build.put(me["hardship"], f"{path}.hardship", "cause", "hardship_cause")
        build.put(me["hardship"], f"{path}.hardship", "date", "hardship_date")
    body["persons"].append(me)

    t1d_for = build.data.get("t1d_who") or ME
    if "t1d" in shown and t1d_for == ME:
        _t1d(build, me, path)
    if "child" in shown:
        child: dict[str, Any] = {"id": CHILD, "household": HOME}
        path = f"persons[{len(body['persons'])}]"
        build.put(child, path, "birth_date", "child_birth_date")
        build.put(child, path, "hukou", "child_hukou")
        build.put(child, path, "school_stage", "child_school_stage")
        if town:
            child["town"] = town
        if child.get("hukou") == MIGRANT:
            build.put(child, path, "resident_since", "resident_since")
        build.paths[f"{path}.guardian"] = "child_relation"
        if build.data.get("child_relation", "guardian") != "other":
            child["guardian"] = ME
        if "t1d" in shown and t1d_for == CHILD:
            _t1d(build, child, path)
        body["persons"].append(child)
    if "death" in shown:
        deceased: dict[str, Any] = {"id": DECEASED}
        path = f"persons[{len(body['persons'])}]"
        build.put(deceased, path, "hukou", "death_hukou")
        build.put(deceased, path, "low_income", "death_low_income", "bool")
        if town:
            deceased["town"] = town
        deceased["death"] = {}
        where = f"{path}.death"
        build.put(deceased["death"], where, "date", "death_date")
        build.put(
            deceased["death"], where, "storage_days", "death_storage_days", "number"
        )
        build.put(
            deceased["death"],
            where,
            "ash_storage_years",
            "death_ash_storage_years",
            "number",
        )
        body["persons"].append(deceased)

    home: dict[str, Any] = {"id": HOME}
    if town:
        home["town"] = town
        build.paths["households[0].town"] = "town"
    if "housing" in shown:
        build.put(home, "households[0]", "size", "household_size", "number")
        build.put(home, "households[0]", "floor_area_m2", "floor_area_m2", "number")
        build.put(home, "households[0]", "annual_income", "annual_income", "number")
        build.put(home, "households[0]", "assets", "assets", "number")
    body["households"].append(home)
    return body, build.paths


def _t1d(build: _Builder, person: dict, path: str) -> None:
    person["t1d"] = {}
    build.put(person["t1d"], f"{path}.t1d", "diagnosed", "t1d_diagnosed")
    build.put(person["t1d"], f"{path}.t1d", "hospital_grade", "t1d_hospital_grade")


def screen(form: ScreenerForm, lang: str) -> Screening | None:
    """Evaluate a valid form; on invalid values add the contract's errors and return None."""
    body, paths = build_request(form)
    plan = plan_gateway.plan()
    # Who is asked about what: each programme's `screen` in programmes.yaml.
    screened = {
        subject: [p for p in plan.programmes.values() if subject in p.screen]
        for subject in ("me", "child", "deceased", "household")
    }
    try:
        answer = evaluate_request(body, explain=True, lang=lang, plan=plan)
    except ContractError as error:
        for item in error.errors:
            form.add_error(paths.get(item["path"]), item["message"])
        return None
    _keep_asked(answer, paths)
    shown = form.sections()
    subjects = [
        _subject(
            answer,
            ME,
            _("You"),
            screened["me"],
            lang,
        )
    ]
    if CHILD in answer["persons"]:
        subjects.append(
            _subject(
                answer,
                CHILD,
                _("Your child"),
                screened["child"],
                lang,
            )
        )
    if DECEASED in answer["persons"]:
        subjects.append(
            _subject(
                answer,
                DECEASED,
                _("Your deceased relative's family"),
                screened["deceased"],
                lang,
            )
        )
    if "housing" in shown:
        subjects.append(
            _subject(
                answer,
                HOME,
                _("Your household"),
                screened["household"],
                lang,
            )
        )
    return Screening(date=answer["date"], subjects=subjects)


def _keep_asked(answer: dict, asked: dict[str, str]) -> None:
    """Keep, of the facts undetermined answers need, those the screener asks about.

    A service that only a fact the screener never asks could decide (a school
    stage for the resident) is not one the resident may qualify for here.
    """
    for key in ("undetermined", "household_undetermined"):
        for outputs in answer.get(key, {}).values():
            for name, needed in list(outputs.items()):
                kept = [path for path in needed if path in asked]
                if kept:
                    outputs[name] = kept
                else:
                    del outputs[name]


def _subject(
    answer: dict, key: str, title: str, items: list[Programme], lang: str
) -> Subject:
    household = key == HOME
    outputs = answer["households" if household else "persons"][key]
    explanations = answer["household_explanations" if household else "explanations"][
        key
    ]
    undetermined = answer.get(
        "household_undetermined" if household else "undetermined", {}
    ).get(key, {})
    subject = Subject(key=key, title=title)
    for item in items:
        explanation = explanations[item.eligible]
        service = Service(
            name=item.code,
            clause=item.clause,
            label=item.label_in(lang),
            eligible=bool(outputs[item.eligible]),
            text=explanation["text"],
            steps=list(explanation["steps"]),
            guide=_guide(item, lang),
        )
        if service.eligible:
            service.details = _details(item, outputs, lang)
            # The arithmetic of the amounts and limits that come with it.
            limits = [entry.limit_output for entry in item.items]
            for name in (item.amount, *limits):
                if name:
                    service.steps += [
                        step
                        for step in explanations[name]["steps"]
                        if step not in service.steps
                    ]
            subject.eligible.append(service)
        elif item.eligible in undetermined:
            # An unknown answer never counts as a yes, nor as a no (issue 12).
            service.needed = list(
                dict.fromkeys(
                    fact_label(path, lang=lang, plan=plan_gateway.plan())
                    for path in undetermined[item.eligible]
                )
            )
            service.text = _("You may qualify; we would need to know: %(facts)s") % {
                "facts": _("; ").join(service.needed)
            }
            service.steps = [explanation["text"], *service.steps]
            subject.undetermined.append(service)
        else:
            subject.other.append(service)
    return subject


def _guide(item: Programme, lang: str) -> dict[str, Any] | None:
    """Return where to apply, the documents, time limit and phone of a programme."""
    if item.guide is None:
        return None
    guide = item.guide
    documents = item.casework.documents if item.casework else ()
    return {
        "where": guide.where_in(lang),
        "documents": _("; ").join(document.label_in(lang) for document in documents),
        "time_limit": guide.time_limit_in(lang),
        "phone": guide.phone,
        "illustrative": guide.status == "illustrative",
        "owner": departments()[guide.owner]["zh" if lang == "zh" else "en"],
    }


def _money(value: float | None) -> str:
    if value is None:
        return _("not known: see how it was decided")
    return money(value)


def _details(item: Programme, outputs: dict, lang: str) -> list[str]:
    """Return the amounts and limits that go with an eligible service."""
    if item.amount:
        return [_("Amount: %(amount)s") % {"amount": _money(outputs[item.amount])}]
    # Items whose free limit the rules compute (3.5: storage days and years).
    details = [
        _("%(item)s free for up to %(limit)s %(unit)s.")
        % {
            "item": capfirst(entry.label_in(lang)),
            "limit": outputs[entry.limit_output],
            "unit": entry.unit_in(lang),
        }
        for entry in item.items
        if entry.limit_output
    ]
    # Every other free item the rules list, with the plan's own qualifiers (3.5:
    # ordinary hearse, small farewell hall, ordinary furnace; issue 12, point 6).
    listed = outputs.get(item.items_output) or [] if item.items_output else []
    return [
        _("%(item)s free.") % {"item": capfirst(entry.label_in(lang))}
        for entry in item.items
        if entry.code in listed and not entry.limit_output
    ] + details
